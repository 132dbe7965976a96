// "Try the agent" (issue 21): InvokeAgentRuntime from the page, against the
// emulator's fake agent (docs/emulator.md, "The fake agent"), which checks
// every signature with botocore for the data-plane host and echoes the
// version and endpoint that answered.
//
// The panel (`invoke-panel`) is driven only through the automation contract:
// `invoke.<member>` controls, `invoke-send`, `invoke-stop`,
// `invoke-new-session`, `invoke-status` (data-state, data-http-status,
// data-bytes, data-session-id, data-error-code) and `invoke-output`.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  useEmulatorSuite, openPage, openReadyPage, sampleRequest, pasteCredentials, submit, waitForOutcome,
  botoUpdate, config, runtime, seed, requests, startNginx, bearerToken, AWS_HOST, PYTHON, runProgram, terminalEnv,
  pickAndLoad, createEndpoint, waitForRuntime,
} from './harness.mjs';

const suite = useEmulatorSuite();
const DATA_HOST = 'bedrock-agentcore.us-east-1.amazonaws.com';
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const IMAGE = (tag) => `123456789012.dkr.ecr.us-east-1.amazonaws.com/sample-agent:${tag}`;
const JWT_AUTHORIZER = {
  customJWTAuthorizer: {
    discoveryUrl: 'https://idp.example.com/.well-known/openid-configuration',
    allowedClients: ['console'],
  },
};

let relay;
after(async () => {
  await relay?.stop();
});

const panel = (page) => page.locator('[data-testid=invoke-panel]');
const status = (page) => page.locator('[data-testid=invoke-status]');

/** A page with the suite's credentials and the emulator as custom endpoint, `id` loaded. */
async function pageWith(id) {
  suite.app = await openPage(suite.browser, suite.emu.appUrl);
  const { page } = suite.app;
  await pasteCredentials(page, suite.creds);
  await page.fill('[name=endpointUrl]', suite.emu.endpoint);
  await pickAndLoad(page, id);
  return page;
}

/** The status element's attributes. */
function statusAttrs(page) {
  return status(page).evaluate((el) => Object.fromEntries(
    ['data-state', 'data-http-status', 'data-first-byte-ms', 'data-total-ms', 'data-bytes', 'data-session-id', 'data-error-code']
      .map((a) => [a.replace('data-', ''), el.getAttribute(a)]),
  ));
}

/** Presses "Invoke agent" and waits until the call ended in `state`. */
async function invoke(page, state = 'done', timeout = 30_000) {
  await page.click('[data-testid=invoke-send]');
  await page.waitForSelector(`[data-testid=invoke-status][data-state=${state}]`, { timeout });
  return statusAttrs(page);
}

/** The events of the output (each a JSON document). */
async function outputEvents(page) {
  const text = await page.locator('[data-testid=invoke-output]').textContent();
  return text.split(/\n(?=\{)/).map((e) => JSON.parse(e));
}

/** Invocations the emulator logged. */
const invocations = async () => (await requests(suite.emu)).filter((r) => r.path.includes('/invocations'));

test('invoke: after an update reaches READY, "Try the new version" invokes DEFAULT and the new version answers, streamed', async () => {
  await config(suite.emu, { ready_after_seconds: 0.5, invoke_event_interval_ms: 0 });
  const page = await openReadyPage(suite);
  await page.fill(`[name="agentRuntimeArtifact.containerConfiguration.containerUri"]`, IMAGE('7.0.0'));
  await submit(page);
  const { outcome } = await waitForOutcome(page);
  assert.equal(outcome, 'success');
  await page.waitForSelector('[data-testid=result][data-status=READY]', { timeout: 30_000 });
  const version = (await runtime(suite.emu, suite.runtimeId)).agentRuntimeVersion;

  await page.click('[data-testid=invoke-new-version]');
  assert.equal(await page.inputValue('[name="invoke.qualifier"]'), 'DEFAULT');
  assert.ok(await panel(page).evaluate((el) => el.contains(document.activeElement)), 'the focus moved to the panel');
  assert.equal((await statusAttrs(page)).state, 'idle');
  const sessionId = await page.inputValue('[name="invoke.runtimeSessionId"]');
  assert.ok(sessionId.length >= 33, sessionId);

  const attrs = await invoke(page);
  assert.equal(attrs['http-status'], '200');
  assert.equal(attrs['session-id'], sessionId);
  assert.ok(Number(attrs.bytes) > 0 && Number(attrs['total-ms']) >= Number(attrs['first-byte-ms']), JSON.stringify(attrs));
  const events = await outputEvents(page);
  assert.equal(events[0].type, 'start');
  assert.equal(events[0].agentRuntimeVersion, version, 'the new version answered');
  assert.equal(events[0].endpointName, 'DEFAULT');
  assert.equal(events[0].sessionId, sessionId);
  assert.match(events.at(-1).text, /Echo from .* \(endpoint DEFAULT\): Hello/);
  // signed for the data plane, shown in "What was signed"
  assert.match(await panel(page).locator('[data-testid=string-to-sign]').textContent(), /bedrock-agentcore\/aws4_request/);
  const [sent] = await invocations();
  assert.equal(sent.status, 200);
  assert.equal(sent.accessKeyId, suite.creds.accessKeyId, 'signed with the pasted credentials');
  assert.match(await panel(page).locator('[data-testid=invoke-logs]').getAttribute('href'),
    new RegExp(`log-group/\\$252Faws\\$252Fbedrock-agentcore\\$252Fruntimes\\$252F${suite.runtimeId}-DEFAULT$`));

  // The session is kept for the next call; "New session" makes another.
  await invoke(page);
  assert.equal((await statusAttrs(page))['session-id'], sessionId);
  await page.click('[data-testid=invoke-new-session]');
  assert.notEqual(await page.inputValue('[name="invoke.runtimeSessionId"]'), sessionId);
  // the payload is never in the saved draft
  const stored = await page.evaluate(() => JSON.stringify(localStorage));
  assert.ok(!stored.includes('Hello'), stored);
});

test('invoke: the answer shows as it arrives (the first event while still streaming), and Stop keeps it', async () => {
  const page = await pageWith(suite.runtimeId);
  await page.fill('[name="invoke.payload"]', '{"prompt": "slow"}');
  await page.click('[data-testid=invoke-send]');
  // progressive: the output holds the start event while the status is `streaming`
  await page.waitForFunction(() => {
    const out = document.querySelector('[data-testid=invoke-output]')?.textContent || '';
    const state = document.querySelector('[data-testid=invoke-status]')?.getAttribute('data-state');
    return state === 'streaming' && out.includes('"type": "start"') && out.includes('"type": "text"');
  }, null, { timeout: 15_000 });
  const before = Number((await statusAttrs(page)).bytes);
  assert.ok(before > 0);
  // the output is one element, its text growing in place as events arrive
  const output = await page.$('[data-testid=invoke-output]');
  await page.waitForFunction((n) => Number(document.querySelector('[data-testid=invoke-status]').getAttribute('data-bytes')) > n
    && document.querySelector('[data-testid=invoke-output]').textContent.split('"type": "text"').length > 2, before, { timeout: 5_000 });
  assert.ok(await output.evaluate((el) => el.isConnected), 'the same output element');

  await page.click('[data-testid=invoke-stop]');
  await page.waitForSelector('[data-testid=invoke-status][data-state=stopped]', { timeout: 2_000 });
  const stopped = await statusAttrs(page);
  assert.ok(Number(stopped.bytes) >= before, 'what arrived is kept');
  assert.equal((await outputEvents(page))[0].type, 'start');
  await sleep(1_500);
  const later = await statusAttrs(page);
  assert.equal(later.bytes, stopped.bytes, 'nothing more is read after Stop');
  assert.equal(later.state, 'stopped');
  assert.equal(await page.locator('[data-testid=invoke-send]').isDisabled(), false);
});

test('invoke: the agent\'s own error (RuntimeClientError) is shown as text, with what to do', async () => {
  const page = await pageWith(suite.runtimeId);
  const message = '<img src=x onerror="window.pwned=1"> agent broke';
  await page.fill('[name="invoke.payload"]', JSON.stringify({ emulator: { fail: message } }));
  const attrs = await invoke(page, 'failed');
  assert.equal(attrs['error-code'], 'RuntimeClientError');
  assert.equal(await panel(page).locator('[data-testid=error-name]').textContent(), 'RuntimeClientError');
  assert.equal(await panel(page).locator('[data-testid=error-status]').textContent(), '424');
  assert.match(await panel(page).locator('[data-testid=error-message]').textContent(), /<img src=x onerror="window.pwned=1"> agent broke/);
  assert.equal(await panel(page).locator('img').count(), 0, 'the message is text, not HTML');
  assert.equal(await page.evaluate(() => window.pwned), undefined);
  assert.match(await panel(page).locator('[data-testid=advice]').textContent(), /agent's own text \(untrusted\)/);
  assert.equal((await invocations()).length, 1, 'an agent error is not retried');
});

test('invoke: a named endpoint\'s "Invoke" sets the qualifier, and the version it serves answers', async () => {
  await config(suite.emu, { invoke_event_interval_ms: 0 });
  const id = await seed(suite.emu);
  await createEndpoint(suite.emu, id, 'prod', '1');
  assert.equal(await botoUpdate(suite.emu, id, { agentRuntimeArtifact: { containerConfiguration: { containerUri: IMAGE('2.0.0') } } }), '2');
  await waitForRuntime(suite.emu, id);
  const page = await pageWith(id);
  await page.click('[data-invoke-endpoint=prod]');
  assert.equal(await page.inputValue('[name="invoke.qualifier"]'), 'prod');
  assert.ok(await panel(page).evaluate((el) => el.contains(document.activeElement)));
  assert.match(await page.locator('[data-endpoint-logs=prod]').getAttribute('href'), new RegExp(`runtimes\\$252F${id}-prod$`));
  await invoke(page);
  const [start] = await outputEvents(page);
  assert.deepEqual([start.endpointName, start.agentRuntimeVersion], ['prod', '1']);
  // DEFAULT, from its row, follows the latest version
  await page.click('[data-invoke-endpoint=DEFAULT]');
  await invoke(page);
  const [latest] = await outputEvents(page);
  assert.deepEqual([latest.endpointName, latest.agentRuntimeVersion], ['DEFAULT', '2']);
  // an unknown endpoint is the service's 404, with what to do
  await page.fill('[name="invoke.qualifier"]', 'nope');
  assert.equal((await invoke(page, 'failed'))['error-code'], 'ResourceNotFoundException');
});

test('invoke: through the {host} relay the call is signed for the data-plane host; a fixed relay says it needs {host}', async () => {
  relay ??= await startNginx(suite.emu, { hosts: [AWS_HOST, DATA_HOST] });
  await config(suite.emu, { invoke_event_interval_ms: 0 });
  suite.app = await openPage(suite.browser, relay.appUrl);
  const { page } = suite.app;
  const urls = [];
  page.on('request', (r) => urls.push(r.url()));
  await pasteCredentials(page, suite.creds);
  await page.fill('[name=endpointUrl]', '');
  await page.selectOption('select[name=sendVia]', 'relay');
  await page.fill('[name=relayUrl]', '/aws');
  const problem = panel(page).locator('[data-testid=invoke-route-problem]');
  await problem.waitFor();
  assert.match(await problem.textContent(), /\{host\}/);
  await page.fill('[name=relayUrl]', '/aws/{host}');
  await problem.waitFor({ state: 'detached' });
  await pickAndLoad(page, suite.runtimeId);
  const attrs = await invoke(page);
  assert.equal(attrs['http-status'], '200');
  assert.equal((await outputEvents(page))[0].agentRuntimeId, suite.runtimeId);
  const sent = urls.filter((u) => u.includes('/invocations'));
  assert.equal(sent.length, 1);
  assert.ok(sent[0].startsWith(`${relay.origin}/aws/${DATA_HOST}/runtimes/arn%3Aaws%3Abedrock-agentcore%3Aus-east-1%3A`), sent[0]);
  assert.match(relay.accessLog(), new RegExp(`"POST /aws/${DATA_HOST.replaceAll('.', '\\.')}/runtimes/\\S+/invocations\\S* HTTP/1\\.1" 200`));
});

test('invoke: a runtime with a JWT authorizer takes a bearer token, sent unsigned; Forget drops it', async () => {
  await config(suite.emu, { ready_after_seconds: 0, invoke_event_interval_ms: 0 });
  const id = await seed(suite.emu);
  await botoUpdate(suite.emu, id, { authorizerConfiguration: JWT_AUTHORIZER });
  await waitForRuntime(suite.emu, id);
  const { token } = await bearerToken(suite.emu, id);
  const page = await pageWith(id);
  await panel(page).locator('[data-testid=invoke-jwt]').waitFor();
  await page.click('[data-testid=invoke-send]');
  assert.match(await panel(page).locator('[data-testid=invoke-problem]').textContent(), /invoke\.bearerToken/);
  assert.equal((await invocations()).length, 0, 'nothing sent without the token');

  assert.equal(await page.getAttribute('[name="invoke.bearerToken"]', 'type'), 'password');
  await page.fill('[name="invoke.bearerToken"]', token);
  await invoke(page);
  assert.equal((await outputEvents(page))[0].agentRuntimeId, id);
  assert.match(await panel(page).locator('[data-testid=invoke-unsigned]').textContent(), /Nothing was signed/);
  assert.equal(await panel(page).locator('[data-testid=signed-details]').count(), 0);
  const [sent] = await invocations();
  assert.ok(!JSON.stringify(sent).includes(token), 'the log never holds the token');

  // A wrong token is the service's AccessDeniedException, naming the action.
  await page.fill('[name="invoke.bearerToken"]', 'not-a-token');
  assert.equal((await invoke(page, 'failed'))['error-code'], 'AccessDeniedException');
  assert.match(await panel(page).locator('[data-testid=advice]').textContent(), /bedrock-agentcore:InvokeAgentRuntime/);

  await page.fill('[name="invoke.bearerToken"]', token);
  await page.getByRole('button', { name: 'Forget credentials' }).click();
  await page.waitForFunction(() => document.querySelector('[name="invoke.bearerToken"]')?.value === '');
  assert.ok(!(await page.content()).includes(token), 'no token in the page after Forget');
});

/**
 * What `aws bedrock-agentcore invoke-agent-runtime --region R --endpoint-url U --<member> V …
 * --cli-binary-format raw-in-base64-out --payload P outfile` does: call the operation
 * with a botocore client and write the streamed answer to outfile. Prints the outfile's text.
 */
const CLI_AS_BOTOCORE = `
import json, re, sys
import boto3
words = sys.argv[1:]
assert words[:2] == ["bedrock-agentcore", "invoke-agent-runtime"], words
flags, rest, i = {}, [], 2
while i < len(words):
    if words[i].startswith("--"):
        flags[words[i][2:]] = words[i + 1]
        i += 2
    else:
        rest.append(words[i])
        i += 1
assert flags.pop("cli-binary-format") == "raw-in-base64-out"
client = boto3.client("bedrock-agentcore", region_name=flags.pop("region"), endpoint_url=flags.pop("endpoint-url"))
shape = client.meta.service_model.operation_model("InvokeAgentRuntime").input_shape
names = {re.sub("([A-Z])", lambda m: "-" + m.group(1).lower(), n): n for n in shape.members}
params = {names[k]: v for k, v in flags.items()}
params["payload"] = params["payload"].encode()
response = client.invoke_agent_runtime(**params)
[outfile] = rest
with open(outfile, "wb") as f:
    f.write(response["response"].read())
print(open(outfile).read())
`;

/** The three copies of the call, the payload revealed. */
async function copiesOf(page) {
  await page.fill('[name="invoke.payload"]', '{"prompt": "it\'s $HOME"}');
  // a hidden payload is not copied (the copy reads $PAYLOAD): reveal it
  await page.click('[data-reveal="invoke.payload"]');
  const copies = {};
  for (const [key, label] of [['cli', 'Copy call as AWS CLI'], ['curl', 'Copy call as curl'], ['boto3', 'Copy call as boto3']]) {
    await panel(page).getByRole('button', { name: label, exact: true }).click();
    const name = { cli: 'invoke.copyCli', curl: 'invoke.copyCurl', boto3: 'invoke.copyBoto3' }[key];
    copies[key] = await page.locator(`textarea[name="${name}"]`).inputValue();
    for (const secret of [suite.creds.secretAccessKey, suite.creds.sessionToken]) {
      assert.ok(!copies[key].includes(secret), `${key} holds a credential`);
    }
  }
  return copies;
}

const ANSWER = /Echo from sample_agent version \d+ \(endpoint DEFAULT\): it's \$HOME/;

// curl's --aws-sigv4 signs the path as sent, so the copy names the runtime
// by its id and ?accountId= (nothing percent-encoded in the path).
test('invoke: the curl copy runs against the emulator and gets the agent\'s answer', async () => {
  await config(suite.emu, { invoke_event_interval_ms: 0 });
  const copies = await copiesOf(await pageWith(suite.runtimeId));
  assert.match(copies.curl, /--aws-sigv4 "aws:amz:us-east-1:bedrock-agentcore"/);
  assert.match(copies.curl, /^curl -N/m);
  assert.match(copies.curl, new RegExp(`/runtimes/${suite.runtimeId}/invocations\\?accountId=\\d{12}&qualifier=DEFAULT'`));
  const curl = await runProgram('/bin/bash', ['-c', copies.curl], terminalEnv(suite.creds));
  assert.equal(curl.code, 0, curl.stderr);
  assert.match(curl.stdout, /^data: \{"type":"start"/m);
  assert.match(curl.stdout, ANSWER);
});

test('invoke: the boto3 and AWS CLI copies run against the emulator and get the agent\'s answer', async () => {
  await config(suite.emu, { invoke_event_interval_ms: 0 });
  const copies = await copiesOf(await pageWith(suite.runtimeId));
  const answer = ANSWER;

  const dir = mkdtempSync(path.join(tmpdir(), 'invoke-copy-'));
  try {
    const script = path.join(dir, 'invoke.py');
    writeFileSync(script, copies.boto3);
    const py = await runProgram(PYTHON, [script], terminalEnv(suite.creds));
    assert.equal(py.code, 0, py.stderr);
    assert.match(py.stdout, answer);

    const words = JSON.parse((await runProgram('/bin/bash', ['-c',
      `aws() { "${PYTHON}" -c 'import json, sys; print(json.dumps(sys.argv[1:]))' "$@"; }\n${copies.cli}`],
    { PATH: process.env.PATH })).stdout);
    assert.equal(words.at(-1), 'response.out');
    const cli = await runProgram(PYTHON, ['-c', CLI_AS_BOTOCORE, ...words.map((w) => (w === 'response.out' ? path.join(dir, w) : w))], terminalEnv(suite.creds));
    assert.equal(cli.code, 0, cli.stderr);
    assert.match(cli.stdout, answer);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const statuses = (await invocations()).map((r) => r.status);
  assert.deepEqual(statuses, [200, 200]);
});

test('invoke: a clock 20 minutes behind the service is corrected by one re-sign', async () => {
  await config(suite.emu, { invoke_event_interval_ms: 0 });
  const page = await pageWith(suite.runtimeId);
  // the service's clock moves after the page loaded the runtime, so the
  // invoke is the first call to meet it
  await config(suite.emu, { clock_offset_seconds: 1200 });
  const attrs = await invoke(page);
  assert.equal(attrs.state, 'done');
  const outcomes = (await invocations()).map((r) => r.outcome);
  assert.equal(outcomes.length, 2, JSON.stringify(outcomes));
  assert.equal(outcomes[0], 'rejected:InvalidSignatureException');
  // the corrected offset is kept: the next invoke is signed right at once
  await invoke(page);
  assert.equal((await invocations()).length, 3);
  assert.deepEqual(suite.app.pageErrors, []);
});
