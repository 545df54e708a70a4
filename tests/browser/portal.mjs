// A recipient uses the carepost portal in Debian's chromium (headless), driven by
// playwright-core. Started by crates/carepost/tests/portal_browser.rs, which sets up
// carepost, a Postfix sink and a trusted certificate, sends the message, and checks
// afterwards what reached the sender. Everything here talks to 127.0.0.1 only.
// The steps shared with the other scripts here are in console_steps.mjs.
//
// Environment:
//   PORTAL_LINK       the link from the notification e-mail
//   SINK_DIR          directory of received mail (one file per message)
//   RECIPIENT         the recipient's address (to find the code mail)
//   BODY_MARKER       text the message body contains
//   ATTACHMENT_FILE   the expected bytes of attachment 0
//   REPLY_TEXT        text to reply with; REPLY_FILE a file to attach
//   ARTIFACTS         directory for screenshots
//   CHROME_HOME       HOME with the NSS database that trusts the test CA
//
// Prints one line per step; exits non-zero at the first failure.

import fs from "node:fs";
import path from "node:path";

import {
  addVirtualAuthenticator,
  artifactsDir,
  env,
  fail,
  failOnConsoleErrors,
  shot,
  step,
  watchConsoleErrors,
  withChromium,
} from "./console_steps.mjs";

const LINK = env("PORTAL_LINK");
const SINK = env("SINK_DIR");
const RECIPIENT = env("RECIPIENT");
const MARKER = env("BODY_MARKER");
const ATTACHMENT = fs.readFileSync(env("ATTACHMENT_FILE"));
const REPLY_TEXT = env("REPLY_TEXT");
const REPLY_FILE = env("REPLY_FILE");
const ARTIFACTS = artifactsDir();

// Every file under a directory (smtp-sink -d writes into dated subdirectories).
function filesUnder(dir) {
  const out = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...filesUnder(p));
    else if (e.isFile()) out.push(p);
  }
  return out.sort();
}

// The newest code mail for RECIPIENT that we have not used yet.
const seen = new Set();
async function waitForCode() {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    for (const file of filesUnder(SINK)) {
      if (seen.has(file)) continue;
      const text = fs.readFileSync(file, "latin1");
      if (!text.includes(`<${RECIPIENT}>`) || text.includes("/p/")) continue;
      const m = text.match(/: (\d{6})\s*$/m);
      if (m) {
        seen.add(file);
        return m[1];
      }
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  fail("no code mail arrived within 60 s");
}
// Mark the code mails that already exist (none should, but be exact).
for (const f of filesUnder(SINK)) seen.add(f);

await withChromium(env("CHROME_HOME"), async (browser) => {
  const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1100, height: 900 } });
  const page = await context.newPage();
  const errors = [];
  watchConsoleErrors(page, errors);

  // 1. The link: who sent it, a button; nothing of the message.
  step("open the link");
  await page.goto(LINK);
  if ((await page.content()).includes(MARKER)) fail("the landing page shows content");
  await shot(page, "01-landing");
  // Keyboard: the first Tab reaches the skip link.
  await page.keyboard.press("Tab");
  const focused = await page.evaluate(() => document.activeElement && document.activeElement.className);
  if (!String(focused).includes("skip")) fail(`first Tab focused ${focused}, not the skip link`);

  // 2. Email me a code; type it.
  step("ask for a code");
  await Promise.all([page.waitForURL(/\/code$/), page.click("form[action$='/code'] button[type=submit]")]);
  await shot(page, "02-code");
  const code = await waitForCode();
  step("enter the code");
  await page.fill("#code", code);
  await Promise.all([page.waitForURL(/\/m\//), page.click("form[action$='/verify'] button[type=submit]")]);
  const messageUrl = page.url();

  // 3. Read.
  step("read the message");
  await page.getByText(MARKER, { exact: false }).first().waitFor();
  await shot(page, "03-message");

  // 4. Download the attachment.
  step("download the attachment");
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.click("a[href$='/attachments/0']"),
  ]);
  const saved = path.join(ARTIFACTS, "downloaded-attachment");
  await download.saveAs(saved);
  if (!fs.readFileSync(saved).equals(ATTACHMENT)) fail("the downloaded attachment differs");

  // 5. Reply with an attachment.
  step("reply");
  await page.fill("textarea[name=text]", REPLY_TEXT);
  await page.setInputFiles("input[name=files]", REPLY_FILE);
  await Promise.all([page.waitForLoadState("load"), page.click("form[action$='/reply'] button[type=submit]")]);
  await page.waitForSelector("main");
  if (!(await page.content()).includes("/m/")) fail("no way back after the reply");
  await shot(page, "04-reply-sent");
  await page.goto(messageUrl);
  await page.getByText(REPLY_TEXT, { exact: false }).first().waitFor();

  // 6. Register a passkey with a virtual authenticator.
  step("register a passkey");
  await addVirtualAuthenticator(context, page, "internal");
  await page.reload();
  await Promise.all([page.waitForURL(/passkey=1/), page.click("button[data-passkey=register]")]);
  await shot(page, "05-passkey-registered");

  // 7. Sign out; the link now offers the passkey, which opens the message without a code.
  step("sign out");
  await Promise.all([page.waitForLoadState("load"), page.click("form.signout button[type=submit]")]);
  await page.goto(messageUrl);
  if ((await page.content()).includes(MARKER)) fail("signed out, yet the message shows");
  step("sign in with the passkey");
  await page.goto(LINK);
  await page.waitForSelector("button[data-passkey=sign-in]", { state: "visible" });
  await Promise.all([page.waitForURL(/\/m\//), page.click("button[data-passkey=sign-in]")]);
  await page.getByText(MARKER, { exact: false }).first().waitFor();
  await shot(page, "06-passkey-sign-in");

  // 8. On a phone, in Spanish.
  step("phone and Spanish");
  const phone = await browser.newContext({
    viewport: { width: 360, height: 740 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
  });
  const p2 = await phone.newPage();
  await p2.goto(`${LINK}?lang=es`);
  const lang = await p2.evaluate(() => document.documentElement.lang);
  if (lang !== "es") fail(`lang=${lang}`);
  const overflow = await p2.evaluate(() => document.scrollingElement.scrollWidth - window.innerWidth);
  if (overflow > 0) fail(`the page scrolls sideways on a phone by ${overflow}px`);
  const tap = await p2.evaluate(() => {
    const b = document.querySelector("button[type=submit]");
    const r = b.getBoundingClientRect();
    return Math.min(r.width, r.height);
  });
  if (tap < 44) fail(`the main button is ${tap}px, under 44px`);
  await shot(p2, "07-phone-es");
  await phone.close();

  failOnConsoleErrors(errors);
  step("done");
});
