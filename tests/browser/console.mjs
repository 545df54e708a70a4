// Staff use the carepost admin console in Debian's chromium (headless), driven by
// playwright-core. Started by crates/carepost/tests/console_browser.rs, which starts
// carepost with a certificate the browser trusts, makes the users, and checks the audit
// trail and the JSON twins afterwards. Everything talks to 127.0.0.1 only.
// The steps shared with the other scripts here are in console_steps.mjs.
//
// Environment:
//   CONSOLE_URL          https://localhost:<port>
//   ADMIN_ADDRESS, ADMIN_PASSWORD        the first admin and their one-time password
//   ADMIN_NEW_PASSWORD   the password the admin chooses
//   NURSE_ADDRESS, NURSE_PASSWORD        a sender and their one-time password
//   NURSE_NEW_PASSWORD   the password the nurse chooses
//   ARTIFACTS            directory for screenshots
//   CHROME_HOME          HOME with the NSS database that trusts the test CA
//   OUT_FILE             where to write the admin's session cookie and user agent (JSON)
//   RECEIPT_FILE         where to save the delivery receipt downloaded from the audit page
//
// Prints one line per step; exits non-zero at the first failure.

import crypto from "node:crypto";

import {
  addVirtualAuthenticator,
  env,
  expectPath,
  fail,
  failOnConsoleErrors,
  registerPasskey,
  saveSession,
  shot,
  signIn,
  step,
  watchConsoleErrors,
  withChromium,
} from "./console_steps.mjs";

const BASE = env("CONSOLE_URL");

// RFC 6238 TOTP (SHA-1, 6 digits, 30 s) from a base32 secret, as an authenticator app.
function totp(secret, at = Date.now()) {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  let bits = "";
  for (const c of secret.replace(/=+$/, "").toUpperCase()) {
    const v = alphabet.indexOf(c);
    if (v < 0) fail(`bad base32 character in the secret`);
    bits += v.toString(2).padStart(5, "0");
  }
  const bytes = [];
  for (let i = 0; i + 8 <= bits.length; i += 8) bytes.push(parseInt(bits.slice(i, i + 8), 2));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(at / 1000 / 30)));
  const mac = crypto.createHmac("sha1", Buffer.from(bytes)).update(counter).digest();
  const o = mac[mac.length - 1] & 0xf;
  const n = ((mac[o] & 0x7f) << 24) | (mac[o + 1] << 16) | (mac[o + 2] << 8) | mac[o + 3];
  return String(n % 1_000_000).padStart(6, "0");
}

await withChromium(env("CHROME_HOME"), async (browser) => {
  const admin = await browser.newContext({ viewport: { width: 1100, height: 900 }, acceptDownloads: true });
  const page = await admin.newPage();
  const errors = [];
  watchConsoleErrors(page, errors);

  // 1. The console sends an anonymous visitor to sign in.
  step("open the console");
  await page.goto(`${BASE}/console`);
  await expectPath(page, "/console/sign-in");
  await shot(page, "01-sign-in");

  // 2. A wrong password: one generic message.
  step("wrong password");
  await signIn(page, env("ADMIN_ADDRESS"), "not the password at all");
  await expectPath(page, "/console/sign-in");
  const problem = await page.textContent("#problem");
  if (!problem.includes("not right")) fail(`wrong password said: ${problem}`);
  await shot(page, "02-wrong-password");

  // 3. The one-time password works once and must be replaced; a breached one is refused.
  step("first sign-in and password change");
  await signIn(page, env("ADMIN_ADDRESS"), env("ADMIN_PASSWORD"));
  await expectPath(page, "/console/password");
  await page.fill("#new", "password1234");
  await page.fill("#again", "password1234");
  await Promise.all([page.waitForLoadState("load"), page.click("form[action='/console/password'] button")]);
  if (!(await page.textContent("#problem")).includes("breach")) fail("a breached password was not refused");
  await page.fill("#new", env("ADMIN_NEW_PASSWORD"));
  await page.fill("#again", env("ADMIN_NEW_PASSWORD"));
  await Promise.all([page.waitForLoadState("load"), page.click("form[action='/console/password'] button")]);

  // 4. An admin must use a passkey: no authenticator-app option; register one.
  step("admin enrols a passkey");
  await expectPath(page, "/console/enrol");
  if (await page.$("#totp-secret")) fail("an admin was offered TOTP");
  await addVirtualAuthenticator(admin, page);
  await page.waitForSelector("#add-passkey", { state: "visible" });
  await shot(page, "03-enrol-passkey");
  await registerPasskey(page);
  if (!(await page.content()).includes(env("ADMIN_ADDRESS"))) fail("home does not name the admin");
  await shot(page, "04-home");

  // 5. Their sessions: this one is marked.
  step("sessions page");
  await page.goto(`${BASE}/console/sessions`);
  if (!(await page.textContent("#sessions")).includes("(this one)")) fail("current session not marked");
  await shot(page, "05-sessions");

  // 6. Sign out, and in again with the passkey.
  step("sign out and back in with the passkey");
  await Promise.all([page.waitForLoadState("load"), page.click("form[action='/console/sign-out'] button")]);
  await page.goto(`${BASE}/console`);
  await expectPath(page, "/console/sign-in");
  await signIn(page, env("ADMIN_ADDRESS"), env("ADMIN_NEW_PASSWORD"));
  await expectPath(page, "/console/factor");
  if (await page.$("#code")) fail("an admin was offered a TOTP code");
  await page.waitForSelector("#use-passkey", { state: "visible" });
  await shot(page, "06-factor-passkey");
  // Keep the signed assertion the browser sends, to replay it below.
  const finishes = [];
  const keepAssertion = (req) => {
    if (req.method() === "POST" && req.url().endsWith("/console/factor/passkey/finish")) {
      finishes.push(req.postData());
    }
  };
  page.on("request", keepAssertion);
  await Promise.all([expectPath(page, "/console"), page.click("#use-passkey")]);
  page.off("request", keepAssertion);
  if (finishes.length !== 1) fail(`expected one passkey assertion, saw ${finishes.length}`);

  // 6b. Someone who knows the password replays that captured assertion in a sign-in of
  // their own (a fresh challenge): refused with the generic answer, and no session.
  step("a replayed passkey assertion is refused");
  const thief = await browser.newContext({ viewport: { width: 1100, height: 900 } });
  const thiefPage = await thief.newPage();
  await signIn(thiefPage, env("ADMIN_ADDRESS"), env("ADMIN_NEW_PASSWORD"));
  await expectPath(thiefPage, "/console/factor");
  const replay = await thiefPage.evaluate(async (assertion) => {
    const button = document.querySelector("#use-passkey");
    const headers = { "content-type": "application/json", "x-csrf-token": button.dataset.csrf };
    const options = await fetch(button.dataset.optionsUrl, { method: "POST", headers, body: "{}" });
    const finish = await fetch(button.dataset.finishUrl, { method: "POST", headers, body: assertion });
    return { options: options.status, status: finish.status, body: await finish.text() };
  }, finishes[0]);
  if (replay.options !== 200) fail(`the passkey challenge was not issued: ${replay.options}`);
  if (replay.status !== 401 || !replay.body.includes("refused")) {
    fail(`a replayed assertion was not refused: ${replay.status} ${replay.body}`);
  }
  await thiefPage.goto(`${BASE}/console/sessions`);
  await expectPath(thiefPage, "/console/factor");
  await thief.close();

  // 7. A sender signs in, changes the password and sets up an authenticator app.
  step("nurse enrols TOTP");
  const nurseCtx = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const nurse = await nurseCtx.newPage();
  watchConsoleErrors(nurse, errors);
  await signIn(nurse, env("NURSE_ADDRESS"), env("NURSE_PASSWORD"));
  await expectPath(nurse, "/console/password");
  await nurse.fill("#new", env("NURSE_NEW_PASSWORD"));
  await nurse.fill("#again", env("NURSE_NEW_PASSWORD"));
  await Promise.all([nurse.waitForLoadState("load"), nurse.click("form[action='/console/password'] button")]);
  await expectPath(nurse, "/console/enrol");
  const secret = (await nurse.textContent("#totp-secret")).trim();
  await shot(nurse, "07-nurse-enrol");
  await nurse.fill("#code", "000000" === totp(secret) ? "111111" : "000000");
  await Promise.all([nurse.waitForLoadState("load"), nurse.click("form[action='/console/enrol/totp'] button")]);
  if (!(await nurse.textContent("#problem")).includes("not right")) fail("a wrong enrolment code was accepted");
  const firstCode = totp(secret);
  await nurse.fill("#code", firstCode);
  await Promise.all([nurse.waitForLoadState("load"), nurse.click("form[action='/console/enrol/totp'] button")]);
  const codes = await nurse.$$eval("#recovery-codes code", (els) => els.map((e) => e.textContent.trim()));
  if (codes.length !== 10) fail(`expected 10 recovery codes, got ${codes.length}`);
  await shot(nurse, "08-nurse-recovery-codes");
  await nurse.click("a.button");
  await expectPath(nurse, "/console");
  const overflow = await nurse.evaluate(() => document.scrollingElement.scrollWidth - window.innerWidth);
  if (overflow > 0) fail(`the console scrolls sideways on a phone by ${overflow}px`);

  // 8. Sign out; the same TOTP code again is a replay and is refused; a recovery code works once.
  step("nurse: replayed code refused, recovery code works");
  await Promise.all([nurse.waitForLoadState("load"), nurse.click("form[action='/console/sign-out'] button")]);
  await signIn(nurse, env("NURSE_ADDRESS"), env("NURSE_NEW_PASSWORD"));
  await expectPath(nurse, "/console/factor");
  await nurse.fill("#code", firstCode);
  await Promise.all([nurse.waitForLoadState("load"), nurse.click("form[action='/console/factor/totp'] button")]);
  if (!(await nurse.textContent("#problem")).includes("not right")) fail("a replayed TOTP code was accepted");
  await nurse.click("details summary");
  await nurse.fill("#recovery", codes[0]);
  await Promise.all([expectPath(nurse, "/console"), nurse.click("form[action='/console/factor/recovery'] button")]);
  // A sender does not see the organisation's figures or the queue.
  const dash = await nurse.goto(`${BASE}/console/dashboard`);
  if (dash.status() !== 403) fail(`a sender got the dashboard (${dash.status()})`);
  if (await nurse.$("a[href='/console/dashboard']")) fail("a sender is offered the dashboard");
  const queue = await nurse.goto(`${BASE}/console/queue`);
  if (queue.status() !== 403) fail(`a sender got the queue (${queue.status()})`);

  // 9. The admin sees the nurse and ends all their sessions; the nurse is signed out.
  step("admin ends the nurse's sessions");
  await page.goto(`${BASE}/console/users`);
  await shot(page, "09-users");
  const row = page.locator("#users tr", { hasText: env("NURSE_ADDRESS") });
  await Promise.all([page.waitForLoadState("load"), row.locator("form[action$='/end-sessions'] button").click()]);
  const note = await page.textContent("p.note");
  if (!note.includes("1 session")) fail(`ending the nurse's sessions said: ${note}`);
  await nurse.goto(`${BASE}/console`);
  await expectPath(nurse, "/console/sign-in");

  // The queue: the message sent before the browser started, delivered.
  step("queue");
  await page.goto(`${BASE}/console/queue?status=delivered`);
  if (!(await page.textContent("#queue")).includes("delivered")) fail("no delivered copy in the queue");
  await shot(page, "11-queue");
  const bad = await page.goto(`${BASE}/console/queue?status=nonsense`);
  if (bad.status() !== 400) fail(`an unknown status gave ${bad.status()}`);

  // The audit trail: the message's events, and its receipt as a download.
  step("audit trail");
  await page.goto(`${BASE}/console/queue?status=delivered`);
  const messageId = await page.getAttribute("#queue code", "title");
  await page.goto(`${BASE}/console/audit?message=${messageId}`);
  const events = await page.textContent("#events");
  if (!events.includes("message.submitted") || !events.includes("delivery.delivered")) {
    fail(`the message's events are missing: ${events}`);
  }
  await shot(page, "12-audit");
  const [probeStatus, probeText] = await page.evaluate(async (u) => {
    const r = await fetch(u, { credentials: "same-origin" });
    return [r.status, (await r.text()).slice(0, 400)];
  }, `${BASE}/console/audit/proof/${messageId}`);
  if (probeStatus !== 200) fail(`the receipt answered ${probeStatus}: ${probeText}`);
  const [receipt] = await Promise.all([page.waitForEvent("download"), page.click("#proof")]);
  await receipt.saveAs(env("RECEIPT_FILE"));
  const badKind = await page.goto(`${BASE}/console/audit?kind=no.such_kind`);
  if (badKind.status() !== 400) fail(`an unknown kind gave ${badKind.status()}`);

  // Today's mail: SVG charts, with the numbers as a table too.
  step("dashboard");
  await page.goto(`${BASE}/console/dashboard`);
  const charts = await page.$$eval("section.chart svg", (els) => els.length);
  if (charts !== 5) fail(`expected 5 charts, got ${charts}`);
  await shot(page, "10-dashboard");

  // Keyboard: the first Tab reaches the skip link.
  await page.goto(`${BASE}/console`);
  await page.keyboard.press("Tab");
  const focused = await page.evaluate(() => document.activeElement && document.activeElement.className);
  if (!String(focused).includes("skip")) fail(`first Tab focused ${focused}, not the skip link`);

  const session = await saveSession(admin, page, env("OUT_FILE"));
  if (!session.httpOnly || !session.secure || session.sameSite !== "Strict") {
    fail(`the session cookie is not HttpOnly, Secure and SameSite=Strict: ${JSON.stringify(session)}`);
  }

  // Refused forms answer 401/422 on purpose (the browser logs those as failed loads);
  // anything else in the console is a real error.
  failOnConsoleErrors(errors, [400, 401, 403, 422]);
  step("done");
});
