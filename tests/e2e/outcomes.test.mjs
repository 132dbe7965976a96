// Every outcome of a send (issue "every outcome"): each modeled exception in
// AWS's wire format, credential failures from the proxy's real SigV4 check,
// transport failures, retries with one clientToken, clock-skew correction,
// nothing lost from the form on failure, and no secret or server markup
// leaking into the page.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import {
  useEmulatorSuite, openPage, reset, requests, config, injectResponses, pasteCredentials, submit,
  waitForOutcome, exportForm, putRequests, sampleRequest, openReadyPage,
} from './harness.mjs';

const ERROR_TYPE_SUFFIX = ':http://internal.amazon.com/coral/com.amazon.coral.service/';

const suite = useEmulatorSuite();

/** The request every test starts from (what the seeded runtime has, changed a little). */
const baseRequest = () => sampleRequest(suite.runtimeId);

/**
 * A fresh page: credentials pasted (`credentials`, default the assumed role),
 * endpoint set, the base request imported.
 */
const readyPage = (options) => openReadyPage(suite, options);

/** An error response as AgentCore sends it (rest-json), for the PUT only. */
function awsError(code, status, message, { requestId = `rid-${code}-${Date.now()}`, count = 1, extra = {} } = {}) {
  return {
    status,
    headers: {
      'Content-Type': 'application/json',
      'x-amzn-ErrorType': `${code}${ERROR_TYPE_SUFFIX}`,
      'x-amzn-RequestId': requestId,
    },
    body: JSON.stringify({ message, ...extra }),
    count,
    match: { method: 'PUT' },
  };
}

const text = async (page, testid) => ((await page.locator(`[data-testid=${testid}]`).textContent()) || '').trim();

async function attempts(page) {
  const list = page.locator('[data-testid=result] [data-testid=attempts]');
  return {
    count: Number(await list.getAttribute('data-count')),
    items: await list.locator('li').allTextContents(),
  };
}

/** The error text of a control (what its aria-describedby points to). */
async function describedText(page, name) {
  return page.locator(`[name="${name}"]`).evaluate((el) => (el.getAttribute('aria-describedby') || '')
    .split(/\s+/).filter(Boolean).map((id) => document.getElementById(id)?.textContent || '').join(' '));
}

function assertNoPanics() {
  assert.deepEqual(suite.app.pageErrors, [], 'no page errors (panics)');
}

// ---------------------------------------------------------------------------
// 1. Modeled exceptions of UpdateAgentRuntime (status codes from the model's error traits)

const MODELED = [
  { code: 'ValidationException', status: 400, message: '1 validation error detected: roleArn is not assumable by the service' },
  { code: 'AccessDeniedException', status: 403, message: 'User: arn:aws:sts::123456789012:assumed-role/R/e2e is not authorized to perform: bedrock-agentcore:UpdateAgentRuntime' },
  { code: 'ConflictException', status: 409, message: 'The agent runtime is being updated; try again when it is READY' },
  { code: 'ResourceNotFoundException', status: 404, message: 'Agent runtime not found' },
  { code: 'ServiceQuotaExceededException', status: 402, message: 'Maximum number of agent runtime versions reached' },
  { code: 'ThrottlingException', status: 429, message: 'Rate exceeded', count: 3 },
  { code: 'InternalServerException', status: 500, message: 'An internal error occurred', count: 3 },
];

for (const { code, status, message, count = 1 } of MODELED) {
  test(`${code} (HTTP ${status}) shows name, status, message, request id and advice`, async () => {
    const page = await readyPage();
    const requestId = `e2e-${code}-0000-1111`;
    const extra = code === 'ValidationException'
      ? { reason: 'FieldValidationFailed', fieldList: [{ name: 'roleArn', message: 'The role cannot be assumed by bedrock-agentcore.amazonaws.com' }] }
      : {};
    await injectResponses(suite.emu, [awsError(code, status, message, { requestId, count, extra })]);
    await submit(page);
    const result = await waitForOutcome(page);
    assert.deepEqual(result, { outcome: 'error', code });
    assert.equal(await text(page, 'error-name'), code);
    assert.equal(await text(page, 'error-status'), String(status));
    assert.equal(await text(page, 'error-message'), message);
    assert.equal(await text(page, 'request-id'), requestId);
    const advice = await text(page, 'advice');
    assert.ok(advice.length > 20, `advice for ${code}: ${advice}`);

    const tries = await attempts(page);
    const puts = await putRequests(suite.emu);
    assert.equal(tries.count, count, tries.items.join(' | '));
    assert.equal(tries.items.length, count);
    assert.equal(puts.length, count, 'PUTs the emulator received');
    assert.ok(puts.every((p) => p.outcome === 'injected' && p.status === status));
    for (const item of tries.items) assert.match(item, new RegExp(`${status}.*${code}`));

    if (code === 'ValidationException') {
      assert.equal(await text(page, 'error-reason'), 'FieldValidationFailed');
      const fields = page.locator('[data-testid=field-list]');
      assert.match(await fields.textContent(), /roleArn.*The role cannot be assumed by bedrock-agentcore\.amazonaws\.com/);
      await page.waitForSelector('[name=roleArn][aria-invalid=true]');
      assert.match(await describedText(page, 'roleArn'), /The role cannot be assumed by bedrock-agentcore\.amazonaws\.com/);
      // the field-list link leads to the control
      await fields.locator('a', { hasText: 'roleArn' }).click();
      assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('name')), 'roleArn');
    }
    assertNoPanics();
  });
}

// ---------------------------------------------------------------------------
// 2. Credentials

test('a wrong secret key is rejected by the SigV4 check: InvalidSignatureException', async () => {
  const last = suite.creds.secretAccessKey.slice(-1);
  const wrong = { ...suite.creds, secretAccessKey: suite.creds.secretAccessKey.slice(0, -1) + (last === 'A' ? 'B' : 'A') };
  const page = await readyPage({ credentials: wrong });
  await submit(page);
  assert.deepEqual(await waitForOutcome(page), { outcome: 'error', code: 'InvalidSignatureException' });
  assert.equal(await text(page, 'error-status'), '403');
  const message = await text(page, 'error-message');
  assert.match(message, /signature we calculated does not match/);
  assert.match(await text(page, 'advice'), /\S{10}/);
  // The service quotes what it expected was signed (computed by botocore in
  // the emulator); the page shows what it signed: the same text, with the
  // session token hidden in both.
  assert.ok(!message.includes(suite.creds.sessionToken), 'the quoted session token is hidden');
  const quoted = message.match(/should have been\n'([^']*)'\n\nThe String-to-Sign should have been\n'([^']*)'/);
  assert.ok(quoted, message);
  assert.match(quoted[1], /\nx-amz-security-token:\(the session token, not shown\)\n/);
  const signedDetails = page.locator('[data-testid=signed-details]');
  await signedDetails.locator('summary').click();
  assert.equal(await signedDetails.locator('[data-testid=canonical-request]').textContent(), quoted[1]);
  assert.equal(await signedDetails.locator('[data-testid=string-to-sign]').textContent(), quoted[2]);
  assert.ok(!(await page.locator('body').innerText()).includes(suite.creds.sessionToken), 'no session token anywhere on the page');
  const log = await requests(suite.emu);
  assert.ok(log.some((r) => r.outcome === 'rejected:InvalidSignatureException'), 'the proxy rejected the signature');
  assert.ok(!log.some((r) => r.outcome === 'forwarded' && r.method === 'PUT'), 'nothing was updated');
  assertNoPanics();
});

test('an unknown access key is rejected: UnrecognizedClientException', async () => {
  const unknown = { ...suite.creds, accessKeyId: 'ASIAZZZZZEXAMPLEZZZZ' };
  const page = await readyPage({ credentials: unknown });
  await submit(page);
  assert.deepEqual(await waitForOutcome(page), { outcome: 'error', code: 'UnrecognizedClientException' });
  assert.equal(await text(page, 'error-status'), '403');
  assert.match(await text(page, 'error-message'), /security token included in the request is invalid/);
  assert.match(await text(page, 'advice'), /\S{10}/);
  const log = await requests(suite.emu);
  assert.ok(log.some((r) => r.outcome === 'rejected:UnrecognizedClientException'));
  assertNoPanics();
});

test('credentials expired in the browser\'s view are refused before sending: CredentialsNotUsable', async () => {
  const expired = { ...suite.creds, expiration: new Date(Date.now() - 10 * 60_000).toISOString().replace(/\.\d+Z$/, 'Z') };
  const page = await readyPage({ credentials: expired });
  await submit(page);
  assert.deepEqual(await waitForOutcome(page), { outcome: 'error', code: 'CredentialsNotUsable' });
  assert.match(await text(page, 'error-message'), /expired/i);
  await page.waitForTimeout(300);
  const log = await requests(suite.emu);
  assert.deepEqual(log.filter((r) => r.path.startsWith('/runtimes')).map((r) => `${r.method} ${r.path}`), [],
    'nothing was sent to AgentCore');
  assertNoPanics();
});

test('an expired session token reported by the service: ExpiredTokenException', async () => {
  const page = await readyPage();
  const message = 'The security token included in the request is expired';
  await injectResponses(suite.emu, [awsError('ExpiredTokenException', 403, message, { requestId: 'e2e-expired-token' })]);
  await submit(page);
  assert.deepEqual(await waitForOutcome(page), { outcome: 'error', code: 'ExpiredTokenException' });
  assert.equal(await text(page, 'error-name'), 'ExpiredTokenException');
  assert.equal(await text(page, 'error-status'), '403');
  assert.equal(await text(page, 'error-message'), message);
  assert.equal(await text(page, 'request-id'), 'e2e-expired-token');
  assert.match(await text(page, 'advice'), /credential|token/i);
  assert.equal((await attempts(page)).count, 1, 'not retried');
  assertNoPanics();
});

// ---------------------------------------------------------------------------
// 3. Transport

test('an HTML 502 from a gateway (every attempt): Http502NotJson', async () => {
  const page = await readyPage();
  await injectResponses(suite.emu, [{
    status: 502,
    headers: { 'Content-Type': 'text/html' },
    body: '<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>',
    count: 3,
    match: { method: 'PUT' },
  }]);
  await submit(page);
  assert.deepEqual(await waitForOutcome(page), { outcome: 'error', code: 'Http502NotJson' });
  assert.match(await text(page, 'error-name'), /502/);
  assert.match(await text(page, 'error-message'), /\S{10}/);
  assert.equal((await attempts(page)).count, 3);
  assert.equal((await putRequests(suite.emu)).length, 3);
  assertNoPanics();
});

test('an empty 500 (every attempt): Http500EmptyBody', async () => {
  const page = await readyPage();
  await injectResponses(suite.emu, [{ status: 500, body: '', count: 3, match: { method: 'PUT' } }]);
  await submit(page);
  assert.deepEqual(await waitForOutcome(page), { outcome: 'error', code: 'Http500EmptyBody' });
  assert.match(await text(page, 'error-name'), /500/);
  assert.match(await text(page, 'error-message'), /\S{10}/);
  assert.equal((await attempts(page)).count, 3);
  assert.equal((await putRequests(suite.emu)).length, 3);
  assertNoPanics();
});

test('a 202 whose body is not JSON: UnreadableOutput', async () => {
  const page = await readyPage();
  await injectResponses(suite.emu, [{
    status: 202, headers: { 'Content-Type': 'text/plain' }, body: 'Accepted', match: { method: 'PUT' },
  }]);
  await submit(page);
  assert.deepEqual(await waitForOutcome(page), { outcome: 'error', code: 'UnreadableOutput' });
  assert.match(await text(page, 'error-message'), /\S{10}/);
  assert.equal((await attempts(page)).count, 1, 'a 202 is not retried (the update may have happened)');
  assert.equal((await putRequests(suite.emu)).length, 1);
  assertNoPanics();
});

/** A local port nothing listens on. */
async function closedPort() {
  const server = net.createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

test('connection refused (nothing listens on the endpoint): ConnectionFailed', async () => {
  const port = await closedPort();
  // The page's CSP only allows the emulator's port; bypass it so that the
  // browser really connects and is refused (not blocked by the CSP).
  const page = await readyPage({ endpoint: `http://127.0.0.1:${port}`, contextOptions: { bypassCSP: true } });
  await submit(page);
  assert.deepEqual(await waitForOutcome(page, 45_000), { outcome: 'error', code: 'ConnectionFailed' });
  const message = await text(page, 'error-message');
  assert.ok(message.includes(`127.0.0.1:${port}`), message);
  assert.match(message, /connect|refused|unreachable/i);
  assertNoPanics();
});

test('the endpoint does not allow CORS: CorsBlocked', async () => {
  await config(suite.emu, { cors: false });
  const page = await readyPage();
  await submit(page);
  assert.deepEqual(await waitForOutcome(page, 45_000), { outcome: 'error', code: 'CorsBlocked' });
  assert.match(await text(page, 'error-message'), /CORS/);
  assert.equal((await attempts(page)).count, 1, 'a CORS block is not retried');
  assert.equal((await putRequests(suite.emu)).length, 0, 'the browser never sent the PUT (its preflight was refused)');
  assertNoPanics();
});

// Every attempt is slower than the 30 s attempt timeout (a timeout is
// retried, so all three attempts are delayed): ~95 s.
test('no answer within the attempt timeout: Timeout', { timeout: 180_000 }, async () => {
  const page = await readyPage();
  await injectResponses(suite.emu, [{ delay_ms: 32_000, status: 202, body: '{}', count: 3, match: { method: 'PUT' } }]);
  const started = Date.now();
  await submit(page);
  await page.waitForSelector('[data-testid=in-progress]');
  assert.deepEqual(await waitForOutcome(page, 150_000), { outcome: 'error', code: 'Timeout' });
  const elapsed = Date.now() - started;
  assert.ok(elapsed >= 85_000, `three 30 s attempts (${elapsed} ms)`);
  assert.match(await text(page, 'error-message'), /30 seconds/);
  const tries = await attempts(page);
  assert.equal(tries.count, 3);
  assert.ok(tries.items.every((t) => /Timeout/.test(t)), tries.items.join(' | '));
  // the emulator answers each delayed PUT after the page gave up on it; wait
  // for the last one so that it does not land in the next test's log
  const deadline = Date.now() + 15_000;
  while ((await putRequests(suite.emu)).length < 3 && Date.now() < deadline) await page.waitForTimeout(200);
  assert.equal((await putRequests(suite.emu)).length, 3, 'three attempts reached the emulator');
  assertNoPanics();
});

// ---------------------------------------------------------------------------
// 4. Retries

test('two throttles then success: attempt 3 succeeds with the same clientToken', async () => {
  const page = await readyPage();
  await injectResponses(suite.emu, [awsError('ThrottlingException', 429, 'Rate exceeded', { count: 2 })]);
  await submit(page);
  const result = await waitForOutcome(page);
  assert.equal(result.outcome, 'success', `code ${result.code}`);
  const tries = await attempts(page);
  assert.equal(tries.count, 3);
  assert.match(tries.items[0], /429.*ThrottlingException/);
  assert.match(tries.items[1], /429.*ThrottlingException/);
  assert.match(tries.items[2], /202/);
  assert.equal(await text(page, 'out-id'), suite.runtimeId);

  const puts = await putRequests(suite.emu);
  assert.deepEqual(puts.map((p) => `${p.outcome} ${p.status}`), ['injected 429', 'injected 429', 'forwarded 202']);
  const tokens = puts.map((p) => JSON.parse(p.body).clientToken);
  assert.match(tokens[0], /^[a-zA-Z0-9](-*[a-zA-Z0-9])*$/, 'a clientToken matching the model pattern');
  assert.ok(tokens[0].length >= 33 && tokens[0].length <= 256, `clientToken length ${tokens[0].length}`);
  assert.deepEqual(tokens, [tokens[0], tokens[0], tokens[0]], 'one clientToken for all attempts');
  assertNoPanics();
});

// ---------------------------------------------------------------------------
// 5. Clock skew

test('a clock 20 minutes behind the service is corrected by one re-sign', async () => {
  await config(suite.emu, { clock_offset_seconds: 1200 });
  const page = await readyPage();
  await submit(page);
  const result = await waitForOutcome(page);
  assert.equal(result.outcome, 'success', `code ${result.code}`);
  const notice = await text(page, 'clock-skew');
  assert.match(notice, /\b20 minutes\b/);
  assert.match(notice, /behind/);
  const log = (await requests(suite.emu)).filter((r) => r.path.startsWith('/runtimes'));
  const rejected = log.filter((r) => r.outcome.startsWith('rejected'));
  assert.deepEqual(rejected.map((r) => r.outcome), ['rejected:InvalidSignatureException'], 're-signed once');
  assert.deepEqual(log.filter((r) => r.method === 'PUT' && r.outcome === 'forwarded').map((r) => r.status), [202]);
  assertNoPanics();
});

// ---------------------------------------------------------------------------
// 6. Nothing lost

test('failures lose nothing from the form; reload restores only the non-sensitive draft', async () => {
  const page = await readyPage();
  const before = await exportForm(page);
  const expected = baseRequest();
  assert.deepEqual(before, expected, 'the form holds the imported request');

  const failures = [
    ['ValidationException', () => injectResponses(suite.emu, [awsError('ValidationException', 400, 'bad role', {
      extra: { reason: 'FieldValidationFailed', fieldList: [{ name: 'roleArn', message: 'bad role' }] },
    })])],
    ['Http500EmptyBody', () => injectResponses(suite.emu, [{ status: 500, body: '', count: 3, match: { method: 'PUT' } }])],
    ['CorsBlocked', () => config(suite.emu, { cors: false })],
    ['ConflictException', () => injectResponses(suite.emu, [awsError('ConflictException', 409, 'busy')])],
  ];
  for (const [code, arrange] of failures) {
    await reset(suite.emu);
    await arrange();
    await submit(page);
    assert.deepEqual(await waitForOutcome(page, 45_000), { outcome: 'error', code });
    assert.deepEqual(await exportForm(page), before, `form unchanged after ${code}`);
    assert.equal(await page.locator('[data-testid=masked-key]').count(), 1, `credentials kept after ${code}`);
  }
  await reset(suite.emu);

  await page.reload({ waitUntil: 'load' });
  await page.waitForSelector('h1');
  await page.waitForFunction((id) => document.querySelector('[name=agentRuntimeId]')?.value === id, suite.runtimeId);
  const { description, environmentVariables, ...nonSensitive } = expected;
  assert.deepEqual(await exportForm(page), nonSensitive, 'the non-sensitive draft is back, the sensitive members are not');
  assert.equal(await page.inputValue('[name=description]'), '');
  assert.equal(await page.locator('[name^="environmentVariables."][name$=".value"]').count(), 0);
  assert.equal(await page.locator('[data-testid=masked-key]').count(), 0, 'no credentials after a reload');
  assert.equal(await page.inputValue('[name=endpointUrl]'), suite.emu.endpoint, 'the endpoint choice is kept');
  const stored = await page.evaluate(() => JSON.stringify({ ...localStorage }));
  for (const secret of [description, ...Object.values(environmentVariables), suite.creds.secretAccessKey, suite.creds.sessionToken]) {
    assert.ok(!stored.includes(secret), `localStorage does not hold ${secret.slice(0, 12)}…`);
  }
  assertNoPanics();
});

// ---------------------------------------------------------------------------
// 7. Security

test('secrets stay out of storage, cookies, the URL and the console; server text is shown as text', async () => {
  const page = await readyPage();
  // a successful send, a failed one (with markup in the server's message),
  // then credentials typed into the fields and one more send
  await submit(page);
  assert.equal((await waitForOutcome(page)).outcome, 'success');

  const evil = '<img src=x onerror="window.__xss=1"><script>window.__xss=2</script> is not a valid role';
  await injectResponses(suite.emu, [awsError('ValidationException', 400, evil, {
    extra: { reason: 'FieldValidationFailed', fieldList: [{ name: 'roleArn', message: evil }] },
  })]);
  await submit(page);
  assert.deepEqual(await waitForOutcome(page), { outcome: 'error', code: 'ValidationException' });
  const shown = await page.locator('[data-testid=error-message]').textContent();
  assert.ok(shown.includes('<img src=x onerror="window.__xss=1">'), shown);
  assert.ok(shown.includes('<script>'), shown);
  assert.ok((await page.locator('[data-testid=field-list]').textContent()).includes('<img'));
  assert.ok((await describedText(page, 'roleArn')).includes('<img'), 'beside the field, as text');
  await page.waitForTimeout(500);
  assert.equal(await page.evaluate(() => window.__xss), undefined);
  assert.equal(await page.locator('main img, main script').count(), 0, 'no element was created from server text');

  await page.getByRole('button', { name: 'Forget credentials' }).click();
  await page.locator('details:has([name=accessKeyId]) > summary').click();
  await page.fill('[name=accessKeyId]', suite.creds.accessKeyId);
  await page.fill('[name=secretAccessKey]', suite.creds.secretAccessKey);
  await page.fill('[name=sessionToken]', suite.creds.sessionToken);
  await page.waitForSelector('[data-testid=masked-key]');
  await submit(page);
  assert.equal((await waitForOutcome(page)).outcome, 'success');

  const snapshot = await page.evaluate(() => ({
    local: JSON.stringify({ ...localStorage }),
    session: JSON.stringify({ ...sessionStorage }),
    cookie: document.cookie,
    url: location.href,
  }));
  const places = {
    ...snapshot,
    url2: page.url(),
    console: suite.app.consoleMessages.map((m) => m.text).join('\n'),
    // shown text, incl. the "What was signed" canonical request
    pageText: await page.evaluate(() => document.body.textContent),
  };
  assert.ok(suite.app.consoleMessages.length >= 0);
  for (const [name, secret] of [['secret key', suite.creds.secretAccessKey], ['session token', suite.creds.sessionToken]]) {
    for (const [where, content] of Object.entries(places)) {
      assert.ok(!content.includes(secret), `the ${name} appears in ${where}`);
      // also not URL-encoded
      assert.ok(!content.includes(encodeURIComponent(secret)), `the ${name} appears (encoded) in ${where}`);
    }
  }
  // the access key id is not a secret, but the page never stores it either
  assert.ok(!snapshot.local.includes(suite.creds.accessKeyId));
  assert.equal(await page.evaluate(() => window.__xss), undefined);
  assertNoPanics();
});
