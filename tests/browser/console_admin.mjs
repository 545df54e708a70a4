// An administrator manages groups and the organisation's conditional access in the
// carepost console (Debian's chromium, headless, driven by playwright-core). Started by
// crates/carepost/tests/console_groups_access.rs, which starts carepost with a
// certificate the browser trusts, makes the users and checks the audit trail and the JSON
// twins afterwards. Everything talks to 127.0.0.1 only.
// The steps shared with the other scripts here are in console_steps.mjs.
//
// Environment:
//   CONSOLE_URL          https://localhost:<port>
//   ADMIN_ADDRESS, ADMIN_PASSWORD        the first admin and their one-time password
//   ADMIN_NEW_PASSWORD   the password the admin chooses
//   SENDER_ADDRESS, SENDER_PASSWORD      a sender and their one-time password
//   ARTIFACTS            directory for screenshots
//   CHROME_HOME          HOME with the NSS database that trusts the test CA
//   OUT_FILE             where to write the admin's session cookie and user agent (JSON)
//
// Prints one line per step; exits non-zero at the first failure.

import {
  env,
  expectPath,
  fail,
  failOnConsoleErrors,
  firstAdminSignsIn,
  newWindow,
  saveSession,
  shot,
  signIn,
  step,
  submit,
  withChromium,
} from "./console_steps.mjs";

const BASE = env("CONSOLE_URL");

const INVALID = '[[rule]]\nname = "broken"\ndeny_ip = ["not-a-network"]\n';
const NO_LOOPBACK_SENDERS =
  '[[rule]]\nname = "senders-not-from-loopback"\nroles = ["sender"]\ndeny_ip = ["127.0.0.0/8"]\n';

await withChromium(env("CHROME_HOME"), async (browser) => {
  const errors = [];
  const { context: admin, page } = await newWindow(browser, errors);

  // The admin's first sign-in: new password, then a passkey (Chromium's virtual
  // authenticator), as in console.mjs.
  step("admin signs in and enrols a passkey");
  await firstAdminSignsIn(admin, page, ["/console/groups", "/console/access"]);

  // Groups: create one, refuse a bad name, add the sender.
  step("groups");
  await page.goto(`${BASE}/console/groups`);
  await page.fill("#group-name", "billing");
  await submit(page, "#create");
  if (!(await page.textContent("#note")).includes("created")) fail("the group was not created");
  // A name the form's pattern would stop: remove the pattern to see the server's answer.
  await page.evaluate(() => document.querySelector("#group-name").removeAttribute("pattern"));
  await page.fill("#group-name", "Billing Team");
  await submit(page, "#create");
  if (!(await page.textContent("#problem")).includes("lower-case")) fail("a bad group name was not refused");
  const billing = page.locator("#group-billing");
  await billing.locator("input[name='address']").fill(env("SENDER_ADDRESS"));
  await submit(page, "#group-billing form.add-member button");
  if (!(await page.textContent("#note")).includes("Added to billing")) fail("the member was not added");
  if (!(await page.textContent("#group-billing")).includes(env("SENDER_ADDRESS"))) fail("the member is not listed");
  await shot(page, "21-groups");

  // Access: an invalid document is refused with its reason, and nothing is stored.
  step("access: invalid policy refused");
  await page.goto(`${BASE}/console/access`);
  const before = await page.textContent("#in-force");
  if (!before.includes("configured")) fail(`a fresh organisation's access policy: ${before}`);
  await page.fill("#document", INVALID);
  await submit(page, "#save");
  const problem = await page.textContent("#problem");
  if (!problem.includes("Not saved") || !problem.includes("line 3")) fail(`an invalid policy said: ${problem}`);
  if ((await page.inputValue("#document")) !== INVALID) fail("the invalid text was not kept in the editor");
  if ((await page.textContent("#in-force")) !== before) fail("the policy in force changed");
  if (await page.$("#history")) fail("a version was stored");
  await shot(page, "22-access-invalid");

  step("access: a rule against senders from loopback");
  await page.fill("#document", NO_LOOPBACK_SENDERS);
  await submit(page, "#save");
  if (!(await page.textContent("#note")).includes("version 1 is now in force")) fail("version 1 was not stored");
  if (!(await page.textContent("#in-force")).includes("version 1")) fail("version 1 is not in force");
  await shot(page, "23-access-saved");

  step("access: what if");
  await page.selectOption("#check-role", "sender");
  await page.fill("#check-ip", "127.0.0.1");
  await submit(page, "#check");
  if (!(await page.textContent("#check-outcome")).includes("deny")) fail("a sender from loopback is not denied");
  if (!(await page.textContent("#check-reasons")).includes("ip_denied")) fail("the reason is not shown");
  if (!(await page.textContent("#check-rules")).includes("senders-not-from-loopback")) fail("the rule is not named");
  await shot(page, "24-access-what-if");
  await page.selectOption("#check-role", "admin");
  await page.fill("#check-ip", "127.0.0.1");
  await submit(page, "#check");
  if (!(await page.textContent("#check-outcome")).includes("allow")) fail("an admin from loopback is not allowed");

  // The sender, signing in from loopback, is refused with the generic text.
  step("sender denied from loopback");
  const senderCtx = await browser.newContext({ viewport: { width: 1100, height: 900 } });
  const sender = await senderCtx.newPage();
  await signIn(sender, env("SENDER_ADDRESS"), env("SENDER_PASSWORD"));
  await expectPath(sender, "/console/sign-in");
  if (!(await sender.textContent("#problem")).includes("does not allow")) fail("the sender was not refused");
  await shot(sender, "25-sender-denied");

  // The admin still gets in: sign out, and in again with the passkey.
  step("admin signs in again");
  await submit(page, "form[action='/console/sign-out'] button");
  await signIn(page, env("ADMIN_ADDRESS"), env("ADMIN_NEW_PASSWORD"));
  await expectPath(page, "/console/factor");
  await page.waitForSelector("#use-passkey", { state: "visible" });
  await Promise.all([expectPath(page, "/console"), page.click("#use-passkey")]);
  await page.goto(`${BASE}/console/access`);
  await shot(page, "26-access-admin-again");

  await saveSession(admin, page, env("OUT_FILE"));

  // Refused forms answer 401/403/404/409/422 on purpose (the browser logs those as failed
  // loads); anything else is a real error.
  failOnConsoleErrors(errors, [401, 403, 404, 409, 422]);
  step("done");
});
