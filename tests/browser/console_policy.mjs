// The policy editor, its dry run, quarantine review and queue actions of the carepost
// admin console, in Debian's chromium (headless) driven by playwright-core. Started by
// crates/carepost/tests/console_policy.rs, which starts carepost with a certificate the
// browser trusts, stores policy version 1 and queues the quarantined messages, and checks
// deliveries, notices, the audit trail and the JSON twins afterwards. Everything talks to
// 127.0.0.1 only. The sign-in and other shared steps are in console_steps.mjs.
//
// Environment:
//   CONSOLE_URL                          https://localhost:<port>
//   ADMIN_ADDRESS, ADMIN_PASSWORD        the first admin (an owner) and their one-time password
//   ADMIN_NEW_PASSWORD                   the password the admin chooses
//   OTHER_ADDRESS, OTHER_PASSWORD        a compliance officer of another organisation
//   OTHER_NEW_PASSWORD                   the password they choose
//   INVALID_POLICY, VALID_POLICY         documents to save (line 5, column 24 is wrong in the first)
//   TEST_MESSAGE, TEST_TO                the dry run's message (a synthetic SSN) and recipient
//   TEST_SECRET                          a value in TEST_MESSAGE that must never be shown
//   STEP_UP_WAIT_MS                      how long to wait for the step-up window to pass
//   RELEASE_ID, REJECT_ID                quarantined messages: release one, reject the other
//   QUEUE_ID                             a message whose copy is deferred: hold and release it
//   REJECT_REASON                        the reason given to the sender
//   ARTIFACTS                            directory for screenshots
//   CHROME_HOME                          HOME with the NSS database that trusts the test CA
//   OUT_FILE                             where to write the admin's session cookie and user agent
//
// Prints one line per step; exits non-zero at the first failure.

import {
  env,
  expectPath,
  fail,
  failOnConsoleErrors,
  firstAdminSignsIn,
  firstSignInWithPasskey,
  newWindow,
  saveSession,
  shot,
  step,
  withChromium,
} from "./console_steps.mjs";

const BASE = env("CONSOLE_URL");
const lf = (s) => s.replace(/\r\n/g, "\n");

// Clicks a form's button and waits for the navigation it starts (the answers here are
// checked right after).
async function submit(page, selector) {
  await Promise.all([page.waitForLoadState("load"), page.waitForNavigation(), page.click(selector)]);
}

// A JSON call from the page, with the session cookie and (for writes) the session's
// anti-forgery token.
async function api(page, method, url, body) {
  return page.evaluate(
    async ([method, url, body]) => {
      const me = await (await fetch("/api/v1/me", { credentials: "same-origin" })).json();
      const headers = { "content-type": "application/json" };
      if (method !== "GET") headers["x-csrf-token"] = me.csrf_token;
      const r = await fetch(url, {
        method,
        credentials: "same-origin",
        headers,
        body: body === null ? undefined : JSON.stringify(body),
      });
      return [r.status, await r.text()];
    },
    [method, url, body],
  );
}

await withChromium(env("CHROME_HOME"), async (browser) => {
  const errors = [];
  const { context: admin, page } = await newWindow(browser, errors);

  step("admin signs in with a passkey");
  await firstAdminSignsIn(admin, page, ["/console/policy", "/console/quarantine", "/console/queue"]);

  // The policy in force: version 1, stored by the operator at the command line.
  step("policy page");
  await page.goto(`${BASE}/console/policy`);
  let inForce = await page.textContent("#in-force");
  if (!inForce.includes("version 1")) fail(`the page shows ${inForce}`);
  if (!(await page.inputValue("#document")).includes("review-desk-quarantine")) fail("the document in force is not in the editor");
  await shot(page, "p01-policy");

  // Saving is a sensitive action: once the step-up window (20 s in this test) has passed
  // since sign-in, the save is refused, the text kept, and nothing stored.
  step("a save without a recent step-up is refused");
  await page.waitForTimeout(Number(env("STEP_UP_WAIT_MS")));
  await page.fill("#document", env("VALID_POLICY"));
  await submit(page, "#save");
  const stale = await page.textContent("#problem");
  if (!stale.includes("fresh proof of your second factor")) fail(`a stale save said: ${stale}`);
  if (lf(await page.inputValue("#document")) !== lf(env("VALID_POLICY"))) fail("the text was not kept");
  if (!(await page.textContent("#in-force")).includes("version 1")) fail("a save without a step-up was stored");
  await shot(page, "p02-policy-step-up-needed");
  await page.click("a[href='/console/step-up']");
  await expectPath(page, "/console/step-up");
  await page.waitForSelector("#use-passkey", { state: "visible" });
  await Promise.all([expectPath(page, "/console"), page.click("#use-passkey")]);
  await page.goto(`${BASE}/console/policy`);

  // An invalid document: line and column next to the editor, the text kept, nothing stored.
  step("an invalid document is refused with its line and column");
  await page.fill("#document", env("INVALID_POLICY"));
  await submit(page, "#save");
  const problem = await page.textContent("#problem");
  if (!problem.includes("line 5, column 24")) fail(`the refusal said: ${problem}`);
  if (lf(await page.inputValue("#document")) !== lf(env("INVALID_POLICY"))) fail("the refused text was not kept in the editor");
  inForce = await page.textContent("#in-force");
  if (!inForce.includes("version 1")) fail(`after a refused save: ${inForce}`);
  await shot(page, "p03-policy-invalid");

  // A second editor (another tab) opens the policy at version 1 before the save below.
  const otherTab = await admin.newPage();
  await otherTab.goto(`${BASE}/console/policy`);

  // A valid document: the next version.
  step("a valid document becomes version 2");
  await page.fill("#document", env("VALID_POLICY"));
  await submit(page, "#save");
  const note = await page.textContent("#note");
  if (!note.includes("version 2")) fail(`saving said: ${note}`);
  inForce = await page.textContent("#in-force");
  if (!inForce.includes("version 2")) fail(`after saving: ${inForce}`);
  const rows = await page.$$eval("#history tbody tr", (els) => els.length);
  if (rows !== 2) fail(`expected 2 stored versions, got ${rows}`);
  await shot(page, "p04-policy-saved");

  // The second editor saves their edit of version 1: refused (version 2 is not replaced
  // unseen), their text kept; a second save, now based on version 2, is deliberate.
  step("an edit of an older version does not replace a newer one unseen");
  const theirs = `${env("VALID_POLICY")}\n# edited in another tab\n`;
  await otherTab.fill("#document", theirs);
  await submit(otherTab, "#save");
  const clash = await otherTab.textContent("#problem");
  if (!clash.includes("version 2 was stored while you edited version 1")) fail(`the clash said: ${clash}`);
  if (lf(await otherTab.inputValue("#document")) !== lf(theirs)) fail("the other editor's text was not kept");
  if (!(await otherTab.textContent("#in-force")).includes("version 2")) fail("the older edit replaced version 2");
  await shot(otherTab, "p04-policy-edit-clash");
  await otherTab.close();

  // A dry run: a synthetic SSN to an outside recipient goes through the portal.
  step("dry run");
  await page.fill("#test-message", env("TEST_MESSAGE"));
  await page.fill("#test-to", env("TEST_TO"));
  await submit(page, "#run-test");
  const action = await page.textContent("#result-action");
  if (!action.includes("portal") || !action.includes("ssn-external-portal")) fail(`the dry run said: ${action}`);
  const fired = await page.textContent("#fired");
  if (!fired.includes("ssn-external-portal") || !fired.includes("SSN")) fail(`rules that fired: ${fired}`);
  const summary = await page.textContent("#summary");
  if (!summary.includes("PHI yes") || !summary.includes("recipient is external")) fail(`summary: ${summary}`);
  if ((await page.content()).includes(env("TEST_SECRET"))) fail("the page shows a value from the message");
  await shot(page, "p05-dry-run");

  // An older version, read-only view.
  step("view version 1");
  await page.click("a[href='/console/policy?version=1']");
  await page.waitForSelector("#viewing");
  if (!(await page.textContent("#viewing")).includes("version 1")) fail("not viewing version 1");
  await shot(page, "p06-policy-version-1");

  // Quarantine: the organisation's held copies. The queue page offers no release of a
  // quarantined copy (that is the reviewers' decision, on the quarantine page).
  step("quarantine list");
  await page.goto(`${BASE}/console/queue?status=quarantined`);
  const heldRows = await page.$$eval("#queue tbody tr", (els) => els.length);
  if (heldRows !== 2) fail(`expected 2 quarantined copies in the queue, got ${heldRows}`);
  if ((await page.$$("#queue button")).length !== 0) fail("the queue page offers an action on a quarantined copy");
  await page.goto(`${BASE}/console/quarantine`);
  const listed = await page.innerHTML("#quarantine");
  for (const id of [env("RELEASE_ID"), env("REJECT_ID")]) {
    if (!listed.includes(id)) fail(`${id} is not listed in quarantine`);
  }
  await shot(page, "q01-quarantine");

  step("quarantine detail and release");
  await page.goto(`${BASE}/console/quarantine/${env("RELEASE_ID")}`);
  const scan = await page.textContent("p.scan");
  if (!scan.includes("SSN")) fail(`the scan says: ${scan}`);
  // Why the message counts as PHI, in words.
  const basis = await page.textContent("p.scan-basis");
  if (!basis.includes("a patient's identifier")) fail(`the scan's basis says: ${basis}`);
  const decisions = await page.textContent("#decisions");
  if (!decisions.includes("quarantine") || !decisions.includes("review-desk-quarantine")) fail(`decisions: ${decisions}`);
  await shot(page, "q02-detail");
  await submit(page, "#release");
  const released = await page.textContent("#note");
  if (!released.includes("released") || !released.includes("sender was notified")) fail(`release said: ${released}`);

  step("reject with a reason");
  await page.goto(`${BASE}/console/quarantine/${env("REJECT_ID")}`);
  await page.fill("#reason", env("REJECT_REASON"));
  await submit(page, "#reject");
  const rejected = await page.textContent("#note");
  if (!rejected.includes("rejected")) fail(`reject said: ${rejected}`);
  await shot(page, "q03-rejected");

  // Queue actions on a deferred copy (its next hop refuses connections): hold, then
  // release it.
  step("queue: hold and release a deferred copy");
  const copyRow = (status) =>
    page.locator("#queue tbody tr", { has: page.locator(`code[title='${env("QUEUE_ID")}']`) }).filter({ hasText: status });
  await page.goto(`${BASE}/console/queue?status=deferred`);
  let row = copyRow("deferred");
  if ((await row.locator("button[data-action='release']").count()) !== 0) fail("a deferred copy is offered release");
  await shot(page, "q04-queue");
  await Promise.all([page.waitForNavigation(), row.locator("button[data-action='hold']").click()]);
  const heldNote = await page.textContent("#note");
  if (!heldNote.includes("1 copy held")) fail(`holding said: ${heldNote}`);
  await page.goto(`${BASE}/console/queue?status=held`);
  row = copyRow("held");
  await Promise.all([page.waitForNavigation(), row.locator("button[data-action='release']").click()]);
  const releasedNote = await page.textContent("#note");
  if (!releasedNote.includes("1 copy released")) fail(`releasing said: ${releasedNote}`);
  await shot(page, "q05-queue-released");

  // A compliance officer of another organisation: nothing of ours, "not found".
  step("another organisation's reviewer");
  const { context: otherCtx, page: other } = await newWindow(browser, errors);
  await firstSignInWithPasskey(otherCtx, other, env("OTHER_ADDRESS"), env("OTHER_PASSWORD"), env("OTHER_NEW_PASSWORD"));
  await other.goto(`${BASE}/console/quarantine`);
  const otherList = await other.content();
  if (!otherList.includes('id="empty"') || otherList.includes(env("REJECT_ID"))) fail("another organisation sees our quarantine");
  await shot(other, "q06-other-organisation");
  const detail = await other.goto(`${BASE}/console/quarantine/${env("RELEASE_ID")}`);
  if (detail.status() !== 404) fail(`another organisation's detail answered ${detail.status()}`);
  for (const [method, url, body] of [
    ["GET", `/api/v1/quarantine/${env("RELEASE_ID")}`, null],
    ["POST", `/api/v1/quarantine/${env("REJECT_ID")}/release`, null],
    ["POST", `/api/v1/quarantine/${env("RELEASE_ID")}/reject`, { reason: "not yours" }],
  ]) {
    const [status, text] = await api(other, method, url, body);
    if (status !== 404) fail(`${method} ${url} by another organisation: ${status} ${text}`);
  }
  const [status, text] = await api(other, "GET", "/api/v1/quarantine", null);
  if (status !== 200 || text.trim() !== "[]") fail(`another organisation's list: ${status} ${text}`);

  await saveSession(admin, page, env("OUT_FILE"));

  // Refused requests answer 4xx on purpose (the browser logs those as failed loads).
  failOnConsoleErrors(errors, [400, 401, 403, 404, 409, 422]);
  step("done");
});
