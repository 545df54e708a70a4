// An owner manages people and credentials in the carepost console in Debian's chromium
// (headless), driven by playwright-core. Started by
// crates/carepost/tests/console_credentials_browser.rs, which starts carepost, issues the
// owner a break-glass code (the one sign-in without a passkey, so no authenticator is
// needed here) and checks the results afterwards. Everything talks to 127.0.0.1 only; the
// test certificate is not trusted by this browser profile, so certificate errors are
// ignored (no WebAuthn is used).
// The steps shared with the other scripts here are in console_steps.mjs.
//
// Environment:
//   CONSOLE_URL          https://localhost:<port>
//   OWNER_ADDRESS        the owner
//   BREAK_GLASS_CODE     their single-use emergency code
//   ARTIFACTS            directory for screenshots
//   OUT_FILE             where to write the secrets the pages showed once (JSON)
//
// Prints one line per step; exits non-zero at the first failure.

import fs from "node:fs";

import {
  env,
  expectPath,
  fail,
  failOnConsoleErrors,
  shot,
  step,
  submit,
  watchConsoleErrors,
  withChromium,
} from "./console_steps.mjs";

const BASE = env("CONSOLE_URL");
const note = async (page) => (await page.textContent("p.note")) || "";

// No CHROME_HOME: this profile trusts no test CA (certificate errors are ignored below).
await withChromium(null, async (browser) => {
  const context = await browser.newContext({ viewport: { width: 1100, height: 900 }, ignoreHTTPSErrors: true });
  const page = await context.newPage();
  const errors = [];
  watchConsoleErrors(page, errors);

  step("break-glass sign-in");
  await page.goto(`${BASE}/console/break-glass`);
  await page.fill("#address", env("OWNER_ADDRESS"));
  await page.fill("#code", env("BREAK_GLASS_CODE"));
  await page.fill("#reason", "Identity provider outage during the morning clinic");
  await submit(page, "form[action='/console/break-glass'] button");
  await expectPath(page, "/console");

  step("add a person");
  await page.goto(`${BASE}/console/users`);
  await page.fill("#new-address", "reception@clinic.test");
  await page.selectOption("#new-role", "compliance");
  await submit(page, "#add-person button");
  const oneTime = (await page.textContent("#one-time-password")) || fail("no one-time password shown");
  if (!(await note(page)).includes("reception@clinic.test was added")) fail(`add said: ${await note(page)}`);
  await shot(page, "cr-01-person-added");

  step("change their role");
  const row = page.locator("#users tr", { hasText: "reception@clinic.test" });
  await row.locator("select[name=role]").selectOption("auditor");
  await submit(page, "#users tr:has-text('reception@clinic.test') form.role button");
  if (!(await note(page)).includes("is now auditor")) fail(`role change said: ${await note(page)}`);
  if ((await page.content()).includes(oneTime)) fail("the one-time password was shown again");
  await shot(page, "cr-02-role-changed");

  step("disable them");
  await submit(page, "#users tr:has-text('reception@clinic.test') form[action$='/disable'] button");
  if (!(await note(page)).includes("is disabled")) fail(`disable said: ${await note(page)}`);
  if (!(await page.textContent("#users")).includes("reception@clinic.test (disabled)")) fail("not marked disabled");
  await shot(page, "cr-03-disabled");

  step("make an app password");
  await page.goto(`${BASE}/console/credentials`);
  await page.fill("#label", "Scanner on floor 2");
  await submit(page, "#new-app-password-form button");
  const appPassword = (await page.textContent("#new-app-password")) || fail("no app password shown");
  await shot(page, "cr-04-app-password");

  step("make an API key");
  await page.fill("#key-name", "Billing system");
  await page.check("input[name=scope][value='messages:send']");
  await page.check("input[name=scope][value='messages:read']");
  await page.fill("#senders", "billing@localhost");
  await page.fill("#days", "30");
  await submit(page, "#new-api-key-form button");
  const token = (await page.textContent("#new-api-key")) || fail("no token shown");
  if (!token.startsWith("cpk_")) fail(`not a token: ${token}`);
  await shot(page, "cr-05-api-key");

  step("secrets are not shown again");
  await page.goto(`${BASE}/console/credentials`);
  const listed = await page.content();
  if (listed.includes(appPassword) || listed.includes(token)) fail("a secret was shown again");
  if (!(await page.textContent("#api-keys")).includes("messages:send messages:read")) fail("scopes not listed");
  await shot(page, "cr-06-credentials");

  step("revoke the app password");
  await submit(page, "#app-passwords tr:has-text('Scanner on floor 2') button");
  if (!(await note(page)).includes("no longer works")) fail(`revoke said: ${await note(page)}`);
  if (!(await page.textContent("#app-passwords")).includes("revoked")) fail("not shown revoked");
  await shot(page, "cr-07-app-password-revoked");

  fs.writeFileSync(env("OUT_FILE"), JSON.stringify({ one_time: oneTime, app_password: appPassword, token }));
  failOnConsoleErrors(errors, [400, 401, 403, 422]);
  step("done");
});
