// The update flow's safety (issue "the update flow as a core state machine"):
// a failed pre-flight never leads to a silent PUT, a confirmation belongs to
// what it checked, one action sends one update, clientToken does what it
// promises, "Forget credentials" forgets, no flow ends in a silent dead end,
// and a draft that cannot be saved or read is reported.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  useEmulatorSuite, openPage, requests, config, injectResponses, openReadyPage, waitForOutcome, putRequests, submit,
  seed, reset, sampleRequest,
} from './harness.mjs';

const suite = useEmulatorSuite();

/** A page with the sample request for a runtime of the test's own (READY, nothing to clear). */
async function freshPage() {
  const id = await seed(suite.emu);
  await reset(suite.emu);
  return { id, page: await openReadyPage(suite, { request: sampleRequest(id) }) };
}
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const sendButton = (page) => page.getByRole('button', { name: 'Update agent runtime' });
const DRAFT_KEY = 'agentcore-console.draft';

/** An AWS error for GetAgentRuntime (the pre-flight) only. */
const preflightError = (code, status, count = 1) => ({
  status,
  headers: { 'x-amzn-ErrorType': code, 'x-amzn-RequestId': `rid-${code}` },
  body: JSON.stringify({ message: `${code} from the e2e test` }),
  count,
  match: { method: 'GET', path_prefix: '/runtimes/' },
});

const gets = async () => (await requests(suite.emu)).filter((r) => r.method === 'GET' && r.path.startsWith('/runtimes/'));

test('a pre-flight that fails (AccessDenied) asks first; cancel sends nothing, "Send anyway" sends once', async () => {
  const { id, page } = await freshPage();
  await injectResponses(suite.emu, [preflightError('AccessDeniedException', 403, 2)]);
  await sendButton(page).click();
  const confirm = page.locator('[data-testid=confirm]');
  await confirm.waitFor();
  assert.equal(await confirm.getAttribute('data-reason'), 'preflight-failed');
  assert.match(await confirm.textContent(), /GetAgentRuntime.*failed.*AccessDeniedException/s);
  await sleep(500);
  assert.equal((await putRequests(suite.emu)).length, 0, 'no silent PUT');
  await page.click('[data-testid=cancel-send]');
  await confirm.waitFor({ state: 'detached' });

  await sendButton(page).click();
  await confirm.waitFor();
  await page.click('[data-testid=confirm-send]');
  assert.deepEqual(await waitForOutcome(page), { outcome: 'success', code: null });
  assert.equal((await putRequests(suite.emu)).length, 1);
  assert.deepEqual(suite.app.pageErrors, []);
});

test('a confirmation belongs to the runtime it checked: confirming for another id checks again', async () => {
  const { id, page } = await freshPage();
  await injectResponses(suite.emu, [preflightError('AccessDeniedException', 403)]);
  await sendButton(page).click();
  await page.locator('[data-testid=confirm][data-reason=preflight-failed]').waitFor();
  const missing = 'missing_agent-abcdefghij';
  await page.fill('[name=agentRuntimeId]', missing);
  await page.click('[data-testid=confirm-send]');
  assert.deepEqual(await waitForOutcome(page), { outcome: 'error', code: 'ResourceNotFoundException' });
  assert.match(await page.textContent('[data-testid=result-note]'), /not sent/i);
  const checked = (await gets()).map((r) => r.path.replace(/\/$/, ''));
  assert.deepEqual(checked, [`/runtimes/${id}`, `/runtimes/${missing}`]);
  assert.equal((await putRequests(suite.emu)).length, 0, 'nothing was sent to either runtime');
});

test('one action, one update: submits and "Send anyway" clicks while in flight send exactly one PUT', async () => {
  const { id, page } = await freshPage();
  // a slow pre-flight, so that the second submit lands while it is in flight
  await injectResponses(suite.emu, [{ delay_ms: 1500, before_auth: true, match: { method: 'GET', path_prefix: '/runtimes/' } }]);
  // requestSubmit() fires the form's submit handler even when the button is disabled
  await page.evaluate(() => {
    const form = document.querySelector('form.request');
    form.requestSubmit();
    form.requestSubmit();
  });
  // Enter in a field while in flight: the browser's implicit submission
  await page.press('[name=roleArn]', 'Enter');
  assert.deepEqual(await waitForOutcome(page), { outcome: 'success', code: null });
  await sleep(500);
  assert.equal((await putRequests(suite.emu)).length, 1);

  // "Send anyway" clicked twice in the same tick (once following has ended,
  // so that its polls do not take the injected answers)
  await page.waitForFunction(() => document.querySelector('[data-testid=follow] .spinner') === null, null, { timeout: 30_000 });
  await injectResponses(suite.emu, [preflightError('ThrottlingException', 429, 3)]);
  await sendButton(page).click();
  await page.locator('[data-testid=confirm][data-reason=preflight-failed]').waitFor({ timeout: 20_000 });
  await page.evaluate(() => {
    const button = document.querySelector('[data-testid=confirm-send]');
    button.click();
    button.click();
  });
  await page.waitForFunction(() => document.querySelector('[data-testid=result]')?.hasAttribute('data-outcome'));
  await sleep(500);
  assert.equal((await putRequests(suite.emu)).length, 2, 'one more PUT, not two');
});

test('clientToken: a typed one is sent as is and never stored; each send without one gets a fresh one', async () => {
  const { id, page } = await freshPage();
  const mine = 'my-own-client-token-0123456789abcdef';
  await page.fill('[name=clientToken]', mine);
  await sendButton(page).click();
  assert.equal((await waitForOutcome(page)).outcome, 'success');
  const stored = await page.evaluate(() => JSON.stringify({ ...localStorage }));
  assert.ok(!stored.includes(mine), 'the token is not in localStorage');
  assert.equal(JSON.parse((await putRequests(suite.emu))[0].body).clientToken, mine);

  await page.fill('[name=clientToken]', '');
  for (let i = 0; i < 2; i += 1) {
    await page.waitForFunction(() => document.querySelector('[data-testid=follow] .spinner') === null, null, { timeout: 30_000 });
    await sendButton(page).click();
    assert.equal((await waitForOutcome(page)).outcome, 'success');
  }
  const tokens = (await putRequests(suite.emu)).map((p) => JSON.parse(p.body).clientToken);
  assert.equal(tokens.length, 3);
  assert.notEqual(tokens[1], tokens[2], 'two sends, two tokens');
  assert.ok(!tokens.slice(1).includes(mine));

  await page.fill('[name=clientToken]', mine);
  await page.reload({ waitUntil: 'load' });
  await page.waitForSelector('[name=clientToken]');
  assert.equal(await page.inputValue('[name=clientToken]'), '', 'not restored on reload');
});

test('an answer that may have been applied offers "Send again with the same clientToken", which resends the identical request', async () => {
  const { id, page } = await freshPage();
  await injectResponses(suite.emu, [{ status: 202, headers: { 'Content-Type': 'text/plain' }, body: 'Accepted', match: { method: 'PUT' } }]);
  await sendButton(page).click();
  assert.deepEqual(await waitForOutcome(page), { outcome: 'error', code: 'UnreadableOutput' });
  assert.match(await page.textContent('[data-testid=advice]'), /Send again with the same clientToken/);
  await page.click('[data-testid=resend-same-token]');
  assert.deepEqual(await waitForOutcome(page), { outcome: 'success', code: null });
  const puts = await putRequests(suite.emu);
  assert.equal(puts.length, 2);
  assert.equal(puts[1].body, puts[0].body, 'the identical request, same clientToken');
});

/** Sends an update that stays UPDATING for a minute; returns the page while it is being followed. */
async function sendAndFollow() {
  await config(suite.emu, { ready_after_seconds: 60 });
  const { page } = await freshPage();
  await sendButton(page).click();
  assert.equal((await waitForOutcome(page)).outcome, 'success');
  await page.locator('[data-testid=follow] .spinner').waitFor();
  return page;
}

test('"Forget credentials" right after a send stops following and leaves no secret in the page', async () => {
  const page = await sendAndFollow();
  assert.equal(await page.locator('[data-testid=signed-details]').count(), 1);
  await page.getByRole('button', { name: 'Forget credentials' }).click();
  await page.locator('[data-testid=follow-note]', { hasText: 'credentials were forgotten' }).waitFor();
  assert.equal(await page.locator('[data-testid=follow] .spinner').count(), 0, 'no spinner left');
  assert.equal(await page.locator('[data-testid=signed-details]').count(), 0, 'what was signed is dropped');
  const html = await page.content();
  // the HTML, and what the controls hold (values are not in the HTML)
  const values = await page.evaluate(() => [...document.querySelectorAll('input, textarea, select')].map((e) => e.value).join('\n'));
  for (const [name, secret] of [['secret key', suite.creds.secretAccessKey], ['session token', suite.creds.sessionToken]]) {
    assert.ok(!html.includes(secret), `the ${name} is in the page's HTML`);
    assert.ok(!values.includes(secret), `the ${name} is in a control's value`);
  }
  const before = (await gets()).length;
  await sleep(3000);
  assert.equal((await gets()).length, before, 'no more polling');
});

test('following stops visibly when the endpoint becomes unusable', async () => {
  const page = await sendAndFollow();
  await page.fill('[name=endpointUrl]', 'ftp://nowhere');
  await page.locator('[data-testid=follow-note]', { hasText: 'Stopped following' }).waitFor({ timeout: 20_000 });
  assert.equal(await page.locator('[data-testid=follow] .spinner').count(), 0);
});

test('a draft that cannot be saved, or a saved draft that cannot be read, is reported', async () => {
  suite.app = await openPage(suite.browser, suite.emu.appUrl);
  await suite.app.context.addInitScript(() => {
    Storage.prototype.setItem = () => { throw new DOMException('full', 'QuotaExceededError'); };
  });
  await suite.app.page.reload({ waitUntil: 'load' });
  await suite.app.page.fill('[name=roleArn]', 'arn:aws:iam::123456789012:role/R');
  assert.match(await suite.app.page.textContent('[data-testid=draft-not-saved]'), /not being saved.*full/);
  await suite.app.close();

  suite.app = await openPage(suite.browser, suite.emu.appUrl);
  await suite.app.page.evaluate((key) => localStorage.setItem(key, '{"format": 1, "request": {"roleArn": "arn:aws:iam::123456789012:role/R", "goneMember": 1}}'), DRAFT_KEY);
  await suite.app.page.reload({ waitUntil: 'load' });
  const problems = suite.app.page.locator('[data-testid=draft-restore-problems]');
  await problems.waitFor();
  assert.match(await problems.textContent(), /goneMember/);
  assert.equal(await suite.app.page.inputValue('[name=roleArn]'), 'arn:aws:iam::123456789012:role/R');

  await suite.app.page.evaluate((key) => localStorage.setItem(key, '{not json'), DRAFT_KEY);
  await suite.app.page.reload({ waitUntil: 'load' });
  await problems.waitFor();
  assert.match(await problems.textContent(), /could not be read/);
});
