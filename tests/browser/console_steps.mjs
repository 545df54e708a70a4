// Steps shared by the browser scripts in this directory (console*.mjs, portal.mjs):
// reading the environment, printing steps, screenshots, launching Debian's chromium
// (headless, playwright-core), signing in to the console, a virtual WebAuthn
// authenticator, and handing the session to the Rust test that started the script
// (crates/carepost/tests/support/console.rs, `BrowserSession`). Everything talks to
// 127.0.0.1 only; the data is synthetic.

import { chromium } from "playwright-core";
import fs from "node:fs";
import path from "node:path";

// A required environment variable.
export const env = (k) => {
  const v = process.env[k];
  if (!v) throw new Error(`missing ${k}`);
  return v;
};

// One line per step: the Rust test looks for `step: done`.
export const step = (s) => console.log(`step: ${s}`);

export const fail = (s) => {
  throw new Error(s);
};

// The screenshot directory (ARTIFACTS), made if missing.
export function artifactsDir() {
  const dir = env("ARTIFACTS");
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

// A full-page screenshot ARTIFACTS/NAME.png.
export async function shot(page, name) {
  await page.screenshot({ path: path.join(artifactsDir(), `${name}.png`), fullPage: true });
}

// Launches chromium, runs `body(browser)` and exits: 0 when it returned, 1 (with the
// error) at the first failure. `home` is a HOME whose NSS database trusts the test CA
// (WebAuthn needs a certificate the browser really trusts); without it, the profile
// trusts nothing extra.
export async function withChromium(home, body) {
  const browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    headless: true,
    ...(home ? { env: { ...process.env, HOME: home } } : {}),
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  let exitCode = 0;
  try {
    await body(browser);
  } catch (e) {
    console.error(`FAILED: ${e.stack || e}`);
    exitCode = 1;
  } finally {
    await browser.close();
  }
  process.exit(exitCode);
}

// Collects the page's console errors into `errors`.
export function watchConsoleErrors(page, errors) {
  page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
}

// Fails on console errors, except the failed loads of refused requests answering one of
// `refusedStatuses` on purpose (the browser logs those too).
export function failOnConsoleErrors(errors, refusedStatuses = []) {
  const refused = new RegExp(
    `^Failed to load resource: the server responded with a status of (${refusedStatuses.join("|")})`,
  );
  const real = refusedStatuses.length ? errors.filter((e) => !refused.test(e)) : errors;
  if (real.length) fail(`console errors: ${real.join(" | ")}`);
}

export async function expectPath(page, p) {
  await page.waitForURL((u) => new URL(u).pathname === p, { timeout: 15_000 });
}

// Clicks a form's button and waits for the answer page to load.
export async function submit(page, selector) {
  await Promise.all([page.waitForLoadState("load"), page.click(selector)]);
}

// The console's password step (CONSOLE_URL/console/sign-in).
export async function signIn(page, address, password) {
  await page.goto(`${env("CONSOLE_URL")}/console/sign-in`);
  await page.fill("#address", address);
  await page.fill("#password", password);
  await submit(page, "form[action='/console/sign-in'] button");
}

// Chromium's virtual WebAuthn authenticator on `page` (resident keys, user verified,
// presence simulated): passkeys are registered and used without a person.
export async function addVirtualAuthenticator(context, page, transport = "usb") {
  const cdp = await context.newCDPSession(page);
  await cdp.send("WebAuthn.enable");
  await cdp.send("WebAuthn.addVirtualAuthenticator", {
    options: {
      protocol: "ctap2",
      transport,
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
  return cdp;
}

// On the enrol page: registers a passkey and lands on the console's home page.
export async function registerPasskey(page) {
  await page.waitForSelector("#add-passkey", { state: "visible" });
  await Promise.all([expectPath(page, "/console"), page.click("#add-passkey")]);
}

// First sign-in of a privileged person: the one-time password, a new password (`chosen`),
// a passkey on a virtual authenticator. Ends on the console's home page.
export async function firstSignInWithPasskey(context, page, address, oneTime, chosen) {
  await signIn(page, address, oneTime);
  await expectPath(page, "/console/password");
  await page.fill("#new", chosen);
  await page.fill("#again", chosen);
  await submit(page, "form[action='/console/password'] button");
  await expectPath(page, "/console/enrol");
  await addVirtualAuthenticator(context, page);
  await registerPasskey(page);
}

// A new browser window (1100×900 unless `options` say otherwise) whose console errors go
// to `errors`.
export async function newWindow(browser, errors, options = {}) {
  const context = await browser.newContext({ viewport: { width: 1100, height: 900 }, ...options });
  const page = await context.newPage();
  watchConsoleErrors(page, errors);
  return { context, page };
}

// The first admin's first sign-in (ADMIN_ADDRESS, ADMIN_PASSWORD), choosing
// ADMIN_NEW_PASSWORD and a passkey; fails unless the navigation then offers each of `links`.
export async function firstAdminSignsIn(context, page, links) {
  await firstSignInWithPasskey(context, page, env("ADMIN_ADDRESS"), env("ADMIN_PASSWORD"), env("ADMIN_NEW_PASSWORD"));
  for (const link of links) {
    if (!(await page.$(`nav a[href='${link}']`))) fail(`the admin's navigation lacks ${link}`);
  }
}

// Writes the console session cookie and the browser's user agent to `file` (JSON), for
// the Rust test to replay the session with curl. Returns the cookie.
export async function saveSession(context, page, file) {
  const session = (await context.cookies()).find((c) => c.name === "cp_console");
  if (!session) fail("no session cookie");
  const ua = await page.evaluate(() => navigator.userAgent);
  fs.writeFileSync(file, JSON.stringify({ cookie: session.value, user_agent: ua }));
  return session;
}
