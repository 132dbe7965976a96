// "Copy as AWS CLI / curl / boto3" (issue 12, part 3) and the image-tag
// notice in the review (part 4).
//
// The copies are not only read, they are RUN against the emulator (which
// checks every signature with botocore): the boto3 script with the venv's
// python, the curl command with the system curl (its own --aws-sigv4), and
// the CLI text parsed by bash, its --cli-input-json checked by botocore's
// validator and sent the way the CLI sends it (a botocore client with the
// command's service, operation, --region and --endpoint-url). Each must
// reach the emulator with the body the console itself sends and a signature
// the emulator accepted. Credentials come from the emulator's STS, in the
// environment only.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  useEmulatorSuite, openReadyPage, sampleRequest, submit, waitForOutcome, putRequests, seed,
  PYTHON, runProgram, terminalEnv,
} from './harness.mjs';

const suite = useEmulatorSuite();

const CONTAINER_URI = 'agentRuntimeArtifact.containerConfiguration.containerUri';
const REPO = '123456789012.dkr.ecr.us-east-1.amazonaws.com/sample-agent';
/** Characters a careless quoting breaks on (shell, JSON and Python). */
const NASTY = 'it\'s "quoted" $HOME `id` $(id) \\back\\slash\\ \'\'\' ü € 🚀\nsecond line';
const CLIENT_TOKEN = 'copy-as-e2e-0123456789012345678901234567';
const FORMATS = { cli: ['Copy as AWS CLI', 'copyCli'], curl: ['Copy as curl', 'copyCurl'], boto3: ['Copy as boto3', 'copyBoto3'] };

/** The request the copy tests start from: sensitive values full of quotes, and a fixed clientToken. */
function nastyRequest() {
  const request = sampleRequest(suite.runtimeId);
  request.description = NASTY;
  request.environmentVariables = { ...request.environmentVariables, GREETING: NASTY, "Q'KEY": 'x' };
  request.clientToken = CLIENT_TOKEN;
  return request;
}

/** Reveals every sensitive member, clicks the three "Copy as" buttons; returns {cli, curl, boto3} texts. */
async function copyAll(page, { reveal = true } = {}) {
  if (reveal) {
    const hidden = page.locator('[data-reveal][aria-pressed=false]');
    for (let n = await hidden.count(); n > 0; n -= 1) await hidden.first().click();
  }
  const out = {};
  for (const [key, [label, name]] of Object.entries(FORMATS)) {
    await page.getByRole('button', { name: label, exact: true }).click();
    const area = page.locator(`textarea[name=${name}]`);
    await area.waitFor();
    assert.equal(await area.getAttribute('readonly'), '', `${name} is read-only`);
    out[key] = await area.inputValue();
  }
  return out;
}

/** Runs `action`, then returns the one PUT /runtimes/... it made (from the emulator's log). */
async function onePut(action) {
  const before = (await putRequests(suite.emu)).length;
  const result = await action();
  const puts = (await putRequests(suite.emu)).slice(before);
  assert.equal(puts.length, 1, `expected one PUT, got ${puts.length}: ${JSON.stringify(result)}`);
  return { put: puts[0], result };
}

/** Asserts that the emulator accepted the signature and forwarded the update (202). */
function assertAccepted(put, what) {
  assert.equal(put.outcome, 'forwarded', `${what}: ${put.outcome}`);
  assert.equal(put.status, 202, `${what}: status ${put.status}`);
}

/** The argv of the CLI text, as bash parses it (a function named `aws` prints it as JSON). */
async function cliWords(text) {
  const script = `aws() { "${PYTHON}" -c 'import json, sys; print(json.dumps(sys.argv[1:]))' "$@"; }\n${text}`;
  const { code, stdout, stderr } = await runProgram('/bin/bash', ['-c', script], { PATH: process.env.PATH });
  assert.equal(code, 0, stderr);
  return JSON.parse(stdout);
}

const flag = (words, name) => {
  const i = words.indexOf(name);
  return i < 0 ? undefined : words[i + 1];
};

/**
 * What the AWS CLI does with `aws <service> <command> --region R [--endpoint-url U] --cli-input-json J`:
 * validate J against the operation's input with botocore's validator, then call the
 * operation with a botocore client for R and U. Prints {valid, error?}.
 */
const CLI_AS_BOTOCORE = `
import json, sys
import boto3
from botocore.exceptions import ParamValidationError
from botocore.validate import validate_parameters
service, command, region, endpoint_url, params = sys.argv[1:6]
params = json.loads(params)
client = boto3.client(service, region_name=region, endpoint_url=endpoint_url or None)
operation = client.meta.method_to_api_mapping[command.replace("-", "_")]
shape = client.meta.service_model.operation_model(operation).input_shape
try:
    validate_parameters(params, shape)
except ParamValidationError as e:
    print(json.dumps({"valid": False, "error": str(e)}))
    sys.exit(0)
getattr(client, command.replace("-", "_"))(**params)
print(json.dumps({"valid": True}))
`;

test('the three copies run against the emulator: same body as the console, signatures botocore accepts, no secrets', async () => {
  const page = await openReadyPage(suite, { request: nastyRequest() });
  const copies = await copyAll(page);
  for (const [key, text] of Object.entries(copies)) {
    for (const secret of [suite.creds.secretAccessKey, suite.creds.sessionToken, suite.creds.accessKeyId]) {
      assert.ok(!text.includes(secret), `${key} holds a credential`);
    }
    assert.ok(!text.includes('Left out'), `${key}: nothing is hidden once revealed`);
  }
  assert.match(copies.curl, /--aws-sigv4 "aws:amz:us-east-1:bedrock-agentcore"/);
  assert.match(copies.curl, /--user "\$AWS_ACCESS_KEY_ID:\$AWS_SECRET_ACCESS_KEY"/);
  assert.match(copies.curl, /-H "x-amz-security-token: \$AWS_SESSION_TOKEN"/);

  // The console's own send of the same form: the reference body.
  const { put: consolePut } = await onePut(async () => {
    await submit(page);
    return waitForOutcome(page);
  });
  assertAccepted(consolePut, 'console');
  const consoleBody = JSON.parse(consolePut.body);
  assert.equal(consoleBody.description, NASTY);
  assert.equal(consoleBody.clientToken, CLIENT_TOKEN);

  // curl, signing with its own SigV4: byte for byte the console's body.
  const curl = await onePut(() => runProgram('/bin/bash', ['-c', copies.curl], terminalEnv(suite.creds)));
  assert.equal(curl.result.code, 0, curl.result.stderr);
  assertAccepted(curl.put, 'curl');
  assert.equal(curl.put.path, consolePut.path);
  assert.equal(curl.put.body, consolePut.body);
  assert.match(JSON.parse(curl.result.stdout).agentRuntimeVersion, /^\d+$/, curl.result.stdout);

  // The boto3 script, as a user would run it.
  const dir = mkdtempSync(path.join(tmpdir(), 'copy-as-'));
  try {
    const script = path.join(dir, 'update.py');
    writeFileSync(script, copies.boto3);
    const boto = await onePut(() => runProgram(PYTHON, [script], terminalEnv(suite.creds)));
    assert.equal(boto.result.code, 0, boto.result.stderr);
    assertAccepted(boto.put, 'boto3');
    assert.equal(boto.put.path, consolePut.path);
    assert.deepEqual(JSON.parse(boto.put.body), consoleBody);
    assert.match(JSON.parse(boto.result.stdout).agentRuntimeVersion, /^\d+$/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  // The CLI text: parsed by bash, validated and sent as the CLI would.
  const words = await cliWords(copies.cli);
  assert.deepEqual(words.slice(0, 2), ['bedrock-agentcore-control', 'update-agent-runtime']);
  assert.equal(flag(words, '--region'), 'us-east-1');
  assert.equal(flag(words, '--endpoint-url'), suite.emu.endpoint);
  const input = flag(words, '--cli-input-json');
  assert.deepEqual(JSON.parse(input), nastyRequest());
  const cli = await onePut(() => runProgram(PYTHON, ['-c', CLI_AS_BOTOCORE, words[0], words[1], flag(words, '--region'),
    flag(words, '--endpoint-url'), input], terminalEnv(suite.creds)));
  assert.equal(cli.result.code, 0, cli.result.stderr);
  assert.deepEqual(JSON.parse(cli.result.stdout), { valid: true });
  assertAccepted(cli.put, 'cli');
  assert.deepEqual(JSON.parse(cli.put.body), consoleBody);
});

test('botocore\'s validator refuses a CLI copy of an invalid form (the check can fail)', async () => {
  const request = nastyRequest();
  request.lifecycleConfiguration.maxLifetime = 'not a number';
  const page = await openReadyPage(suite, { request });
  const { cli } = await copyAll(page);
  const words = await cliWords(cli);
  const { code, stdout, stderr } = await runProgram(PYTHON, ['-c', CLI_AS_BOTOCORE, words[0], words[1],
    flag(words, '--region'), flag(words, '--endpoint-url'), flag(words, '--cli-input-json')], terminalEnv(suite.creds));
  assert.equal(code, 0, stderr);
  const verdict = JSON.parse(stdout);
  assert.equal(verdict.valid, false);
  assert.match(verdict.error, /maxLifetime/);
  assert.equal((await putRequests(suite.emu)).length, 0, 'nothing was sent');
});

test('hidden sensitive members are left out of every copy, with a warning that running it clears them', async () => {
  const page = await openReadyPage(suite, { request: nastyRequest() });
  const copies = await copyAll(page, { reveal: false });
  for (const [key, text] of Object.entries(copies)) {
    assert.ok(!text.includes('second line') && !text.includes('GREETING'), `${key} holds a hidden value`);
    assert.match(text, /^# Left out because hidden in the console: description, environmentVariables\./, key);
  }
  const words = await cliWords(copies.cli);
  const input = JSON.parse(flag(words, '--cli-input-json'));
  assert.equal(input.description, undefined);
  assert.equal(input.environmentVariables, undefined);
  assert.equal(input.roleArn, nastyRequest().roleArn);
});

test('without a runtime id the copies say what is missing instead of a command', async () => {
  const request = nastyRequest();
  delete request.agentRuntimeId;
  const page = await openReadyPage(suite, { request });
  await page.getByRole('button', { name: 'Copy as curl', exact: true }).click();
  const error = page.locator('[data-testid=copy-error][data-format=copyCurl]');
  await error.waitFor();
  assert.match(await error.textContent(), /agentRuntimeId/);
  assert.equal(await page.locator('textarea[name=copyCurl]').count(), 0);
});

// ---------------------------------------------------------------------------
// Image-reference advice (part 4)

/** Lists the runtimes, picks `id` and loads its configuration. */
async function load(page, id) {
  await page.getByRole('button', { name: 'List runtimes' }).click();
  await page.waitForSelector(`select[name=runtimePicker] option[value="${id}"]`, { state: 'attached' });
  await page.selectOption('select[name=runtimePicker]', id);
  await page.waitForSelector('select[name=runtimeVersion] option:nth-child(2)', { state: 'attached' });
  await page.getByRole('button', { name: 'Load current configuration' }).click();
  await page.waitForFunction(() => /Loaded version/.test(document.querySelector('[data-testid=picker-message]')?.textContent || ''));
  await page.waitForSelector('[data-testid=diff]');
}

/** The notice's reason (`data-reason`), or null when there is none. */
async function notice(page) {
  const n = page.locator('[data-testid=image-tag-notice]');
  return (await n.count()) ? n.getAttribute('data-reason') : null;
}

async function setImage(page, uri, expected) {
  await page.fill(`[name="${CONTAINER_URI}"]`, uri);
  await page.waitForFunction(
    (want) => (document.querySelector('[data-testid=image-tag-notice]')?.getAttribute('data-reason') ?? null) === want,
    expected,
  );
}

test('the review advises on an unchanged tag and on latest, not on a new tag or a digest', async () => {
  const id = await seed(suite.emu); // a runtime of its own, with the sample image (tag 1.4.2)
  const page = await openReadyPage(suite, { request: { agentRuntimeId: id } });
  await load(page, id);
  assert.equal(await page.inputValue(`[name="${CONTAINER_URI}"]`), `${REPO}:1.4.2`);
  await page.waitForSelector('[data-testid=image-tag-notice]');
  assert.equal(await notice(page), 'unchanged-tag');
  const text = await page.textContent('[data-testid=image-tag-notice]');
  assert.match(text, /1\.4\.2/);
  assert.match(text, /may keep the image it already resolved/);
  assert.match(text, /new tag or a digest/);

  await setImage(page, `${REPO}:1.5.0`, null);
  await setImage(page, `${REPO}:latest`, 'mutable-tag');
  await setImage(page, REPO, 'mutable-tag');
  assert.match(await page.textContent('[data-testid=image-tag-notice]'), /no tag/);
  await setImage(page, `${REPO}@sha256:${'0123456789abcdef'.repeat(4)}`, null);
  await setImage(page, `${REPO}:1.4.2`, 'unchanged-tag');
});
