// Safe updates (issue "safe updates"): the runtime picker (ListAgentRuntimes,
// ListAgentRuntimeVersions), loading the current configuration
// (GetAgentRuntime) into the form, the review diff with "Keep current value",
// the pre-flight check and confirmation before an update that clears members
// or meets a runtime that is not READY, and following the update to READY /
// UPDATE_FAILED.
//
// Every test works on runtimes of its own (created through the emulator), on
// a fresh page, after resetting the emulator's queue, log and config.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  useEmulatorSuite, botoUpdate, openPage, reset, requests, runtime, seed, boto, config, injectResponses,
  pasteCredentials, waitForOutcome, putRequests,
} from './harness.mjs';

const suite = useEmulatorSuite();

// ---------------------------------------------------------------------------
// Helpers

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const CONTAINER_URI = 'agentRuntimeArtifact.containerConfiguration.containerUri';
const HIDDEN = '•••••• (hidden)';

/** The seeded sample runtime's values (emulator/server.py SAMPLE_RUNTIME). */
const SAMPLE = {
  uri: '123456789012.dkr.ecr.us-east-1.amazonaws.com/sample-agent:1.4.2',
  role: 'arn:aws:iam::123456789012:role/AgentRuntimeRole',
  description: 'Sample agent runtime seeded by the local emulator',
  env: { LOG_LEVEL: 'info', MODEL_ID: 'anthropic.claude-sonnet-4', FEATURE_FLAGS: 'streaming,tools' },
  lifecycle: { idleRuntimeSessionTimeout: 900, maxLifetime: 28800 },
  protocol: 'HTTP',
};

/** Create a runtime through the emulator with boto3; returns its id. */
function createRuntime(params) {
  return boto(suite.emu, `
c = session.client("bedrock-agentcore-control", endpoint_url=endpoint, region_name=region)
r = c.create_agent_runtime(**args)
print(json.dumps(r["agentRuntimeId"]))
`, params);
}


/** Waits until the emulator's stored runtime has `status`. */
async function waitForStatus(id, status, timeoutMs = 15_000) {
  const start = Date.now();
  for (;;) {
    const rt = await runtime(suite.emu, id);
    if (rt.status === status) return rt;
    if (Date.now() - start > timeoutMs) throw new Error(`runtime ${id} is ${rt.status}, not ${status}`);
    await sleep(200);
  }
}

/** A fresh page with credentials pasted and the emulator as endpoint. */
async function freshPage() {
  suite.app = await openPage(suite.browser, suite.emu.appUrl);
  const { page } = suite.app;
  await pasteCredentials(page, suite.creds);
  await page.fill('[name=endpointUrl]', suite.emu.endpoint);
  await page.fill('[name=region]', 'us-east-1');
  await page.waitForFunction(
    (url) => document.querySelector('[data-testid=resolved-endpoint]')?.textContent.includes(url),
    suite.emu.endpoint,
  );
  return page;
}

const pickerMessage = (page) => page.textContent('[data-testid=picker-message]');

/** Presses "List runtimes" and waits for the count. Returns the picker's options [{value, text}]. */
async function listRuntimes(page) {
  await page.getByRole('button', { name: 'List runtimes' }).click();
  await page.waitForFunction(() => /runtimes? found|Could not/.test(document.querySelector('[data-testid=picker-message]')?.textContent || ''));
  const msg = await pickerMessage(page);
  assert.match(msg, /runtimes? found/, msg);
  return page.$$eval('select[name=runtimePicker] option', (os) => os.map((o) => ({ value: o.value, text: o.textContent })));
}

/** Chooses a runtime in the picker; waits until the versions are listed. Returns the version options. */
async function chooseRuntime(page, id, minVersions = 1) {
  await page.selectOption('select[name=runtimePicker]', id);
  await page.waitForFunction(
    (n) => document.querySelectorAll('select[name=runtimeVersion] option').length >= n + 1,
    minVersions,
  );
  return page.$$eval('select[name=runtimeVersion] option', (os) => os.map((o) => ({ value: o.value, text: o.textContent })));
}

/**
 * Presses "Load current configuration" for the runtime `id` and waits until its
 * GetAgentRuntime was answered and the page says "Loaded version …".
 */
async function loadConfiguration(page, id) {
  const before = (await getRuntimeRequests(id)).length;
  await page.getByRole('button', { name: 'Load current configuration' }).click();
  const start = Date.now();
  while ((await getRuntimeRequests(id)).length <= before) {
    if (Date.now() - start > 15_000) throw new Error(`no GetAgentRuntime for ${id}`);
    await sleep(50);
  }
  await page.waitForFunction(() => {
    const button = [...document.querySelectorAll('button')].find((b) => b.textContent.trim() === 'Load current configuration');
    const t = document.querySelector('[data-testid=picker-message]')?.textContent || '';
    return button && !button.disabled && /Loaded version|Could not/.test(t);
  });
  const msg = await pickerMessage(page);
  assert.match(msg, /Loaded version/, msg);
  await page.waitForSelector('[data-testid=diff]');
  return msg;
}

/** Lists, picks `id` and loads its latest configuration. */
async function pickAndLoad(page, id) {
  await listRuntimes(page);
  await chooseRuntime(page, id);
  return loadConfiguration(page, id);
}

/** Environment variables as the form holds them: {KEY: value} (input values; read even while masked). */
function formEnv(page) {
  return page.evaluate(() => {
    const out = {};
    for (const k of document.querySelectorAll('input[name^="environmentVariables."][name$=".key"]')) {
      const i = k.name.split('.')[1];
      out[k.value] = document.querySelector(`[name="environmentVariables.${i}.value"]`)?.value;
    }
    return out;
  });
}

/** Clicks "Remove" on the environment-variable row whose key is `key`. */
async function removeEnv(page, key) {
  const index = await page.evaluate((k) => {
    const input = [...document.querySelectorAll('input[name^="environmentVariables."][name$=".key"]')].find((e) => e.value === k);
    return input ? input.name.split('.')[1] : null;
  }, key);
  assert.notEqual(index, null, `no environment variable ${key} in the form`);
  const row = page.locator('[data-path="environmentVariables"] .row--entry', {
    has: page.locator(`[name="environmentVariables.${index}.key"]`),
  });
  await row.locator('.row__remove').click();
  await page.waitForFunction(
    (k) => ![...document.querySelectorAll('input[name^="environmentVariables."][name$=".key"]')].some((e) => e.value === k),
    key,
  );
}

/** Adds an environment variable in a new row. */
async function addEnv(page, key, value) {
  const n = await page.locator('input[name^="environmentVariables."][name$=".key"]').count();
  await page.click('[data-add="environmentVariables"]');
  await page.fill(`[name="environmentVariables.${n}.key"]`, key);
  await page.fill(`[name="environmentVariables.${n}.value"]`, value);
}

/** The review's rows: {path: {change, now, after}}. */
function diffRows(page) {
  return page.$$eval('[data-testid=diff] tr[data-path]', (trs) => Object.fromEntries(trs.map((tr) => [
    tr.getAttribute('data-path'),
    { change: tr.getAttribute('data-change'), now: tr.cells[2]?.textContent, after: tr.cells[3]?.textContent },
  ])));
}

/** Waits for the review row at `path` to have `change`. */
function waitForRow(page, path, change) {
  return page.waitForSelector(`[data-testid=diff] tr[data-path="${path}"][data-change="${change}"]`);
}

const sendButton = (page) => page.getByRole('button', { name: 'Update agent runtime' });

/** The emulator's request log entries for GET /runtimes/<id>/ (GetAgentRuntime). */
async function getRuntimeRequests(id) {
  return (await requests(suite.emu)).filter((r) => r.method === 'GET' && r.path.replace(/\/$/, '') === `/runtimes/${id}`);
}

/** Waits until `[data-testid=confirm]` or a result outcome shows; returns which. */
async function confirmOrOutcome(page) {
  const handle = await page.waitForFunction(() => {
    if (document.querySelector('[data-testid=confirm]')) return 'confirm';
    if (document.querySelector('[data-testid=result][data-outcome]')) return 'outcome';
    return null;
  });
  return handle.jsonValue();
}

// ---------------------------------------------------------------------------
// 1. Runtime picker

test('runtime picker lists every runtime (all pages) with name, id, status and version, and the chosen runtime\'s versions', async () => {
  const base = {
    agentRuntimeArtifact: { containerConfiguration: { containerUri: '123456789012.dkr.ecr.us-east-1.amazonaws.com/picker:1.0.0' } },
    roleArn: 'arn:aws:iam::123456789012:role/PickerRole',
    networkConfiguration: { networkMode: 'PUBLIC' },
  };
  const ids = [];
  for (const name of ['picker_alpha', 'picker_beta', 'picker_gamma']) {
    ids.push(await createRuntime({ ...base, agentRuntimeName: name }));
  }
  // picker_beta gets a second version
  const beta = ids[1];
  assert.equal(await botoUpdate(suite.emu, beta, { description: 'second version' }), '2');
  await waitForStatus(beta, 'READY');
  const listed = await boto(suite.emu, `
c = session.client("bedrock-agentcore-control", endpoint_url=endpoint, region_name=region)
print(json.dumps({r["agentRuntimeId"]: r for r in c.list_agent_runtimes()["agentRuntimes"]}, default=str))
`);
  for (const id of ids) assert.ok(listed[id], `boto3 lists ${id}`);

  const page = await freshPage();
  // The first ListAgentRuntimes page is answered with one runtime and a
  // nextToken: the console must fetch the next page too.
  const paged = { agentRuntimeId: 'paged_first-abcdefghij', agentRuntimeName: 'paged_first', agentRuntimeArn: 'arn:aws:bedrock-agentcore:us-east-1:123456789012:runtime/paged_first-abcdefghij', agentRuntimeVersion: '7', status: 'READY', lastUpdatedAt: '2025-01-02T03:04:05Z', description: '' };
  await reset(suite.emu);
  await injectResponses(suite.emu, [
    { status: 200, body: { agentRuntimes: [paged], nextToken: 'page-2' }, match: { method: 'POST', path_prefix: '/runtimes/' } },
  ]);
  const options = await listRuntimes(page);
  const lists = (await requests(suite.emu)).filter((r) => r.method === 'POST' && r.path.replace(/\/$/, '') === '/runtimes');
  assert.equal(lists.length, 2, 'two ListAgentRuntimes pages requested');
  assert.equal(new URLSearchParams(lists[0].query).get('nextToken'), null);
  assert.equal(new URLSearchParams(lists[1].query).get('nextToken'), 'page-2', 'the second page asks with the nextToken');
  assert.equal(new URLSearchParams(lists[0].query).get('maxResults'), '100', "pages as large as the model's maxResults allows");

  const byId = Object.fromEntries(options.filter((o) => o.value).map((o) => [o.value, o.text]));
  assert.ok(byId[paged.agentRuntimeId], 'runtime from the first page is listed');
  assert.match(byId[paged.agentRuntimeId], /paged_first/);
  assert.match(byId[paged.agentRuntimeId], /\bv?7\b/, 'version');
  assert.ok(byId[paged.agentRuntimeId].includes('2025-01-02'), `last update in "${byId[paged.agentRuntimeId]}"`);
  for (const [i, name] of ['picker_alpha', 'picker_beta', 'picker_gamma'].entries()) {
    const text = byId[ids[i]];
    assert.ok(text, `${name} (${ids[i]}) is listed: ${JSON.stringify(options)}`);
    assert.ok(text.includes(name), `name in "${text}"`);
    assert.ok(text.includes(ids[i]), `id in "${text}"`);
    assert.ok(text.includes(listed[ids[i]].status), `status ${listed[ids[i]].status} in "${text}"`);
    assert.match(text, new RegExp(`\\bv?${listed[ids[i]].agentRuntimeVersion}\\b`), `version in "${text}"`);
    assert.ok(text.includes(String(listed[ids[i]].lastUpdatedAt).slice(0, 10)), `last update ${listed[ids[i]].lastUpdatedAt} in "${text}"`);
  }
  assert.match(byId[beta], /READY/);
  assert.match(byId[beta], /\bv?2\b/);
  // every runtime of both pages: the injected one plus all the emulator holds
  const total = 1 + Object.keys(listed).length;
  assert.equal(Object.keys(byId).length, total, JSON.stringify(options));
  assert.match(await pickerMessage(page), new RegExp(`\\b${total} runtimes found`));

  // choosing beta fills agentRuntimeId and lists its versions (1 and 2)
  const versions = await chooseRuntime(page, beta, 2);
  assert.equal(await page.inputValue('[name=agentRuntimeId]'), beta);
  assert.deepEqual(versions.map((v) => v.value).sort(), ['', '1', '2']);
  assert.equal(versions.find((v) => v.value === '').text.trim().toLowerCase(), 'latest');
  assert.match(versions.find((v) => v.value === '2').text, /2/);
  const versionCalls = (await requests(suite.emu)).filter((r) => r.method === 'POST' && r.path.startsWith(`/runtimes/${beta}/versions`));
  assert.equal(versionCalls.length, 1, 'ListAgentRuntimeVersions called for the chosen runtime');

  // choosing another runtime switches the id and its versions (alpha has only version 1)
  await chooseRuntime(page, ids[0], 1);
  await page.waitForFunction(() => document.querySelectorAll('select[name=runtimeVersion] option').length === 2);
  assert.equal(await page.inputValue('[name=agentRuntimeId]'), ids[0]);
  assert.deepEqual((await page.$$eval('select[name=runtimeVersion] option', (os) => os.map((o) => o.value))).sort(), ['', '1']);
  assert.deepEqual(suite.app.pageErrors, []);
});

// ---------------------------------------------------------------------------
// 2. Load current configuration

test('load current configuration fills every form field; a chosen version is requested with ?version=N', async () => {
  const id = await createRuntime({
    agentRuntimeName: 'loadable_agent',
    agentRuntimeArtifact: { containerConfiguration: { containerUri: '123456789012.dkr.ecr.us-east-1.amazonaws.com/loadable:3.1.4' } },
    roleArn: 'arn:aws:iam::123456789012:role/LoadableRole',
    networkConfiguration: { networkMode: 'PUBLIC' },
    description: 'Loadable runtime for the e2e test',
    environmentVariables: { STAGE: 'prod', REGION_HINT: 'eu-west-1', RETRIES: '5' },
    lifecycleConfiguration: { idleRuntimeSessionTimeout: 1234, maxLifetime: 5678 },
    protocolConfiguration: { serverProtocol: 'MCP' },
  });
  // a second version with another image
  assert.equal(await botoUpdate(suite.emu, id, {
    agentRuntimeArtifact: { containerConfiguration: { containerUri: '123456789012.dkr.ecr.us-east-1.amazonaws.com/loadable:3.2.0' } },
  }), '2');
  await waitForStatus(id, 'READY');

  const page = await freshPage();
  await listRuntimes(page);
  await chooseRuntime(page, id, 2);
  assert.equal(await page.$('[data-testid=diff]'), null, 'no review before a configuration is loaded');
  const msg = await loadConfiguration(page, id);
  assert.match(msg, /version 2/);
  assert.ok(msg.includes(id));

  assert.equal(await page.inputValue('[name=agentRuntimeId]'), id);
  assert.equal(await page.inputValue('[name=roleArn]'), 'arn:aws:iam::123456789012:role/LoadableRole');
  assert.equal(await page.inputValue('select[name=agentRuntimeArtifact]'), 'containerConfiguration');
  assert.equal(await page.inputValue(`[name="${CONTAINER_URI}"]`), '123456789012.dkr.ecr.us-east-1.amazonaws.com/loadable:3.2.0');
  assert.equal(await page.inputValue('[name="lifecycleConfiguration.idleRuntimeSessionTimeout"]'), '1234');
  assert.equal(await page.inputValue('[name="lifecycleConfiguration.maxLifetime"]'), '5678');
  assert.equal(await page.inputValue('[name="protocolConfiguration.serverProtocol"]'), 'MCP');
  assert.equal(await page.inputValue('[name="networkConfiguration.networkMode"]'), 'PUBLIC');

  // sensitive members: hidden until revealed
  assert.equal(await page.getAttribute('[name="environmentVariables.0.value"]', 'type'), 'password');
  await page.click('[data-reveal="environmentVariables"]');
  // revealed: a plain text control (a textarea for long strings), no longer type=password
  await page.waitForFunction(() => {
    const el = document.querySelector('[name="environmentVariables.0.value"]');
    return el && el.getAttribute('type') !== 'password';
  });
  assert.deepEqual(await formEnv(page), { STAGE: 'prod', REGION_HINT: 'eu-west-1', RETRIES: '5' });
  if (await page.getAttribute('[name=description]', 'type') === 'password') {
    await page.click('[data-reveal="description"]');
  }
  assert.equal(await page.inputValue('[name=description]'), 'Loadable runtime for the e2e test');

  // right after loading, nothing differs from the runtime
  const rows = await diffRows(page);
  assert.ok(Object.keys(rows).length > 0);
  for (const [path, row] of Object.entries(rows)) assert.equal(row.change, 'unchanged', `${path} is ${row.change}`);

  // an older version: the GetAgentRuntime request carries ?version=1.
  // (The emulator, like moto, keeps no per-version configuration: it answers
  // every GetAgentRuntime with the latest one, so only the request is checked.)
  await reset(suite.emu);
  await page.selectOption('select[name=runtimeVersion]', '1');
  await loadConfiguration(page, id);
  const gets = await getRuntimeRequests(id);
  assert.equal(gets.length, 1);
  assert.equal(new URLSearchParams(gets[0].query).get('version'), '1', `query: ${gets[0].query}`);

  // and "latest" asks without a version
  await reset(suite.emu);
  await page.selectOption('select[name=runtimeVersion]', '');
  await loadConfiguration(page, id);
  const latest = await getRuntimeRequests(id);
  assert.equal(latest.length, 1);
  assert.equal(new URLSearchParams(latest[0].query).get('version'), null, `query: ${latest[0].query}`);
  assert.deepEqual(suite.app.pageErrors, []);
});

// ---------------------------------------------------------------------------
// 3. Review

test('review shows changed, added, cleared and unchanged members, masking sensitive values until revealed', async () => {
  const id = await seed(suite.emu);
  const page = await freshPage();
  await pickAndLoad(page, id);

  const newUri = '123456789012.dkr.ecr.us-east-1.amazonaws.com/sample-agent:1.5.0';
  await page.fill(`[name="${CONTAINER_URI}"]`, newUri);
  await addEnv(page, 'NEW_FLAG', 'on');
  await removeEnv(page, 'MODEL_ID');

  await waitForRow(page, CONTAINER_URI, 'changed');
  await waitForRow(page, 'environmentVariables.NEW_FLAG', 'added');
  await waitForRow(page, 'environmentVariables.MODEL_ID', 'cleared');
  const rows = await diffRows(page);
  assert.equal(rows[CONTAINER_URI].now, SAMPLE.uri);
  assert.equal(rows[CONTAINER_URI].after, newUri);
  for (const path of ['roleArn', 'environmentVariables.LOG_LEVEL', 'environmentVariables.FEATURE_FLAGS',
    'description', 'lifecycleConfiguration.idleRuntimeSessionTimeout', 'lifecycleConfiguration.maxLifetime',
    'protocolConfiguration.serverProtocol']) {
    assert.equal(rows[path]?.change, 'unchanged', `${path}: ${JSON.stringify(rows[path])}`);
  }
  assert.equal(rows.roleArn.now, SAMPLE.role);
  const counts = Object.values(rows).reduce((m, r) => ({ ...m, [r.change]: (m[r.change] || 0) + 1 }), {});
  assert.equal(counts.changed, 1, JSON.stringify(rows));
  assert.equal(counts.added, 1, JSON.stringify(rows));
  assert.equal(counts.cleared, 1, JSON.stringify(rows));

  // one member cleared: the warning says so, and only the cleared row offers "Keep current value"
  const warning = await page.textContent('[data-testid=cleared-warning]');
  assert.match(warning, /\b1\b/);
  assert.equal(await page.locator('[data-testid=diff] tr[data-change=cleared] >> text=Keep current value').count(), 1);
  assert.equal(await page.locator('[data-testid=diff] tr:not([data-change=cleared]) >> text=Keep current value').count(), 0);
  assert.equal(await page.$('[data-testid=status-warning]'), null, 'the runtime is READY');

  // sensitive values are masked in the review…
  for (const path of ['environmentVariables.LOG_LEVEL', 'environmentVariables.MODEL_ID', 'description']) {
    assert.equal(rows[path].now, HIDDEN, `${path} masked (now)`);
  }
  assert.equal(rows['environmentVariables.NEW_FLAG'].after, HIDDEN);
  assert.equal(rows['environmentVariables.LOG_LEVEL'].after, HIDDEN);
  const text = await page.textContent('[data-testid=diff]');
  for (const secret of [SAMPLE.env.MODEL_ID, SAMPLE.env.FEATURE_FLAGS, SAMPLE.description, 'streaming']) {
    assert.ok(!text.includes(secret), `review shows "${secret}" while hidden`);
  }
  // …until revealed (per member)
  await page.click('[data-reveal="environmentVariables"]');
  await page.waitForFunction(() => document.querySelector('[data-testid=diff] tr[data-path="environmentVariables.MODEL_ID"]')?.cells[2]?.textContent !== '•••••• (hidden)');
  const revealed = await diffRows(page);
  assert.equal(revealed['environmentVariables.MODEL_ID'].now, SAMPLE.env.MODEL_ID);
  assert.equal(revealed['environmentVariables.LOG_LEVEL'].now, SAMPLE.env.LOG_LEVEL);
  assert.equal(revealed['environmentVariables.LOG_LEVEL'].after, SAMPLE.env.LOG_LEVEL);
  assert.equal(revealed['environmentVariables.NEW_FLAG'].after, 'on');
  assert.equal(revealed.description.now, HIDDEN, 'description stays hidden until its own reveal');
  await page.click('[data-reveal="description"]');
  await page.waitForFunction((d) => document.querySelector('[data-testid=diff] tr[data-path="description"]')?.cells[2]?.textContent === d, SAMPLE.description);

  // nothing was sent
  assert.equal((await putRequests(suite.emu)).length, 0);
  assert.deepEqual(suite.app.pageErrors, []);
});

// ---------------------------------------------------------------------------
// 4. Keep current value, then send

test('a deleted env var shows as cleared; "Keep current value" puts it back and the update keeps every env var', async () => {
  const id = await seed(suite.emu);
  const page = await freshPage();
  await pickAndLoad(page, id);

  const newUri = '123456789012.dkr.ecr.us-east-1.amazonaws.com/sample-agent:1.6.0';
  await page.fill(`[name="${CONTAINER_URI}"]`, newUri);
  await removeEnv(page, 'FEATURE_FLAGS');
  await waitForRow(page, 'environmentVariables.FEATURE_FLAGS', 'cleared');
  await page.waitForSelector('[data-testid=cleared-warning]');
  assert.ok(!('FEATURE_FLAGS' in await formEnv(page)));

  await page.locator('[data-testid=diff] tr[data-path="environmentVariables.FEATURE_FLAGS"]')
    .getByRole('button', { name: 'Keep current value' }).click();
  await waitForRow(page, 'environmentVariables.FEATURE_FLAGS', 'unchanged');
  await page.waitForSelector('[data-testid=cleared-warning]', { state: 'detached' });
  assert.deepEqual(await formEnv(page), SAMPLE.env, 'the value is back in the form');
  assert.equal((await page.$$('[data-testid=diff] tr[data-change=cleared]')).length, 0);

  await sendButton(page).click();
  assert.equal(await confirmOrOutcome(page), 'outcome', 'no confirmation when nothing is cleared and the runtime is READY');
  const { outcome, code } = await waitForOutcome(page);
  assert.equal(outcome, 'success', `error code ${code}`);

  const puts = await putRequests(suite.emu);
  assert.equal(puts.length, 1);
  assert.deepEqual(JSON.parse(puts[0].body).environmentVariables, SAMPLE.env);
  const stored = await runtime(suite.emu, id);
  assert.deepEqual(stored.environmentVariables, SAMPLE.env);
  assert.equal(stored.agentRuntimeArtifact.containerConfiguration.containerUri, newUri);
  // everything else loaded was sent back, so nothing was cleared
  assert.equal(stored.description, SAMPLE.description);
  assert.deepEqual(stored.lifecycleConfiguration, SAMPLE.lifecycle);
  assert.equal(stored.protocolConfiguration.serverProtocol, SAMPLE.protocol);
  assert.equal(stored.roleArn, SAMPLE.role);
  const env = await boto(suite.emu, `
c = session.client("bedrock-agentcore-control", endpoint_url=endpoint, region_name=region)
print(json.dumps(c.get_agent_runtime(agentRuntimeId=args["id"]).get("environmentVariables")))
`, { id });
  assert.deepEqual(env, SAMPLE.env);
  assert.deepEqual(suite.app.pageErrors, []);
});

// ---------------------------------------------------------------------------
// 5. Confirmation names the count

test('an update clearing two env vars asks for confirmation naming 2; cancel sends nothing, confirm clears them', async () => {
  const id = await seed(suite.emu);
  const page = await freshPage();
  await pickAndLoad(page, id);
  await removeEnv(page, 'MODEL_ID');
  await removeEnv(page, 'FEATURE_FLAGS');
  await waitForRow(page, 'environmentVariables.FEATURE_FLAGS', 'cleared');
  assert.match(await page.textContent('[data-testid=cleared-warning]'), /\b2\b/);

  await reset(suite.emu);
  await sendButton(page).click();
  assert.equal(await confirmOrOutcome(page), 'confirm');
  const confirm = page.locator('[data-testid=confirm]');
  assert.equal(await confirm.getAttribute('data-cleared'), '2');
  const label = await page.textContent('[data-testid=confirm-send]');
  assert.match(label, /\b2\b/, label);
  assert.match(label, /clear/i, label);
  // the pre-flight GetAgentRuntime was made, the update was not
  assert.equal((await getRuntimeRequests(id)).length, 1, 'pre-flight GetAgentRuntime');
  assert.equal((await putRequests(suite.emu)).length, 0);

  await page.click('[data-testid=cancel-send]');
  await page.waitForSelector('[data-testid=confirm]', { state: 'detached' });
  await sleep(1_000);
  assert.equal((await putRequests(suite.emu)).length, 0, 'cancel sends nothing');
  assert.equal(await page.$('[data-testid=result][data-outcome]'), null);
  assert.deepEqual((await runtime(suite.emu, id)).environmentVariables, SAMPLE.env);

  await sendButton(page).click();
  assert.equal(await confirmOrOutcome(page), 'confirm');
  assert.equal(await confirm.getAttribute('data-cleared'), '2');
  await page.click('[data-testid=confirm-send]');
  const { outcome, code } = await waitForOutcome(page);
  assert.equal(outcome, 'success', `error code ${code}`);
  const puts = await putRequests(suite.emu);
  assert.equal(puts.length, 1);
  assert.deepEqual(JSON.parse(puts[0].body).environmentVariables, { LOG_LEVEL: 'info' });
  assert.deepEqual((await runtime(suite.emu, id)).environmentVariables, { LOG_LEVEL: 'info' });
  assert.deepEqual(suite.app.pageErrors, []);
});

// ---------------------------------------------------------------------------
// 6. Pre-flight

test('pre-flight: a runtime that is not READY is flagged and needs confirmation before anything is sent', async () => {
  const id = await seed(suite.emu);
  await config(suite.emu, { ready_after_seconds: 600 });
  assert.equal(await botoUpdate(suite.emu, id, {}), '2');
  assert.equal((await runtime(suite.emu, id)).status, 'UPDATING');

  const page = await freshPage();
  await pickAndLoad(page, id);
  const warning = await page.textContent('[data-testid=status-warning]');
  assert.match(warning, /UPDATING/);
  assert.equal(await page.$('[data-testid=cleared-warning]'), null, 'nothing cleared');

  await reset(suite.emu);
  await sendButton(page).click();
  assert.equal(await confirmOrOutcome(page), 'confirm', 'an UPDATING runtime needs confirmation');
  assert.equal(await page.getAttribute('[data-testid=confirm]', 'data-cleared'), '0');
  assert.match(await page.textContent('[data-testid=confirm]'), /UPDATING/);
  assert.equal((await getRuntimeRequests(id)).length, 1, 'pre-flight GetAgentRuntime');
  await sleep(500);
  assert.equal((await putRequests(suite.emu)).length, 0, 'nothing sent before confirming');
  await page.click('[data-testid=cancel-send]');
  await page.waitForSelector('[data-testid=confirm]', { state: 'detached' });
  assert.equal((await putRequests(suite.emu)).length, 0);
  assert.deepEqual(suite.app.pageErrors, []);
});

test('pre-flight: a nonexistent runtime id is reported as ResourceNotFoundException and the update is not sent', async () => {
  const id = await seed(suite.emu);
  const missing = 'missing_agent-abcdefghij';
  const page = await freshPage();
  await pickAndLoad(page, id);
  await page.fill('[name=agentRuntimeId]', missing);
  await reset(suite.emu);

  await sendButton(page).click();
  const { outcome, code } = await waitForOutcome(page);
  assert.equal(outcome, 'error');
  assert.equal(code, 'ResourceNotFoundException');
  assert.match(await page.textContent('[data-testid=result-note]'), /not sent/i);
  assert.equal(await page.$('[data-testid=confirm]'), null);
  await sleep(500);
  const log = await requests(suite.emu);
  assert.ok(log.some((r) => r.method === 'GET' && r.path.replace(/\/$/, '') === `/runtimes/${missing}` && r.status === 404),
    `pre-flight GET in ${JSON.stringify(log.map((r) => `${r.method} ${r.path} ${r.status}`))}`);
  assert.equal(log.filter((r) => r.method === 'PUT').length, 0, 'no PUT');
});

// ---------------------------------------------------------------------------
// 7. Follow

/**
 * Loads `id`, changes its image to `tag`, resets the emulator (ready after 2 s),
 * sends (no confirmation expected) and waits for the 202. Records every
 * data-status the result panel shows in `window.__statuses`.
 */
async function sendImageUpdate(page, id, tag) {
  await pickAndLoad(page, id);
  await page.fill(`[name="${CONTAINER_URI}"]`, `123456789012.dkr.ecr.us-east-1.amazonaws.com/sample-agent:${tag}`);
  await reset(suite.emu);
  await config(suite.emu, { ready_after_seconds: 2 });
  const result = page.locator('[data-testid=result]');
  // record every data-status the result panel shows
  await page.evaluate(() => {
    window.__statuses = [];
    const el = document.querySelector('[data-testid=result]');
    const note = () => {
      const s = el.getAttribute('data-status');
      if (s && window.__statuses[window.__statuses.length - 1] !== s) window.__statuses.push(s);
    };
    new MutationObserver(note).observe(el, { attributes: true, attributeFilter: ['data-status'] });
  });
  await sendButton(page).click();
  assert.equal(await confirmOrOutcome(page), 'outcome');
  const { outcome, code } = await waitForOutcome(page);
  assert.equal(outcome, 'success', `error code ${code}`);
  return result;
}

const followItems = (page) => page.$$eval('[data-testid=follow] li', (lis) => lis.map((li) => li.textContent.trim()));

test('follow: after the 202 the result status goes UPDATING -> READY', async () => {
  const id = await seed(suite.emu);
  const page = await freshPage();
  const result = await sendImageUpdate(page, id, '2.0.0');
  await page.waitForSelector('[data-testid=result][data-status=READY]', { timeout: 30_000 });
  assert.equal(await result.getAttribute('data-status'), 'READY');
  const statuses = await page.evaluate(() => window.__statuses);
  assert.deepEqual(statuses, ['UPDATING', 'READY']);
  const items = await followItems(page);
  assert.ok(items.length >= 2, JSON.stringify(items));
  assert.match(items[0], /UPDATING/);
  assert.match(items[0], /\b2\b/, 'version of the reading');
  assert.match(items.at(-1), /READY/);
  assert.match(items.at(-1), /\b2\b/);
  assert.equal(await page.$('[data-testid=failure-reason]'), null);
  // polling ended: no "Stop following" any more, no more GETs
  assert.equal(await page.getByRole('button', { name: 'Stop following' }).count(), 0);
  const gets = (await getRuntimeRequests(id)).length;
  await sleep(2_500);
  assert.equal((await getRuntimeRequests(id)).length, gets, 'no polling after READY');
  assert.equal((await runtime(suite.emu, id)).status, 'READY');
  assert.deepEqual(suite.app.pageErrors, []);
});

test('follow: a failed update ends UPDATE_FAILED and shows the failure reason', async () => {
  const id = await seed(suite.emu);
  const page = await freshPage();
  await pickAndLoad(page, id);
  await page.fill(`[name="${CONTAINER_URI}"]`, '123456789012.dkr.ecr.us-east-1.amazonaws.com/sample-agent:does-not-exist');
  await reset(suite.emu);
  await config(suite.emu, { ready_after_seconds: 2, fail_next_update: 'Container image not found' });
  await sendButton(page).click();
  assert.equal(await confirmOrOutcome(page), 'outcome');
  const { outcome, code } = await waitForOutcome(page);
  assert.equal(outcome, 'success', `error code ${code}`);
  await page.waitForSelector('[data-testid=result][data-status=UPDATE_FAILED]', { timeout: 30_000 });
  assert.match(await page.textContent('[data-testid=failure-reason]'), /Container image not found/);
  const items = await followItems(page);
  assert.match(items[0], /UPDATING/);
  assert.match(items.at(-1), /UPDATE_FAILED/);
  assert.equal(await page.getByRole('button', { name: 'Stop following' }).count(), 0);
  const stored = await runtime(suite.emu, id);
  assert.equal(stored.status, 'UPDATE_FAILED');
  assert.equal(stored.failureReason, 'Container image not found');
  assert.deepEqual(suite.app.pageErrors, []);
});

test('follow: "Stop following" stops polling GetAgentRuntime', async () => {
  const id = await seed(suite.emu);
  const page = await freshPage();
  await pickAndLoad(page, id);
  await page.fill(`[name="${CONTAINER_URI}"]`, '123456789012.dkr.ecr.us-east-1.amazonaws.com/sample-agent:3.0.0');
  await reset(suite.emu);
  await config(suite.emu, { ready_after_seconds: 600 });
  await sendButton(page).click();
  assert.equal(await confirmOrOutcome(page), 'outcome');
  const { outcome, code } = await waitForOutcome(page);
  assert.equal(outcome, 'success', `error code ${code}`);
  assert.equal(await page.getAttribute('[data-testid=result]', 'data-status'), 'UPDATING');

  // wait for the first poll (1 s after the 202), then stop
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=follow] li').length >= 2, null, { timeout: 10_000 });
  const stop = page.getByRole('button', { name: 'Stop following' });
  await stop.click();
  await stop.waitFor({ state: 'detached' });
  await sleep(1_000); // tolerance for a request already in flight
  const log = await requests(suite.emu);
  const putAt = log.findIndex((r) => r.method === 'PUT');
  assert.ok(putAt >= 0);
  const pollsAtStop = log.slice(putAt).filter((r) => r.method === 'GET' && r.path.startsWith(`/runtimes/${id}`)).length;
  assert.ok(pollsAtStop >= 1, 'polled at least once before stopping');
  // without stopping, the next polls would come 2 s and 4 s later
  await sleep(7_000);
  const after = (await requests(suite.emu)).slice(putAt).filter((r) => r.method === 'GET' && r.path.startsWith(`/runtimes/${id}`)).length;
  assert.equal(after, pollsAtStop, 'no GetAgentRuntime after "Stop following"');
  assert.equal(await page.getAttribute('[data-testid=result]', 'data-status'), 'UPDATING');
  assert.match(await page.textContent('[data-testid=follow]'), /Stopped following/);
  assert.deepEqual(suite.app.pageErrors, []);
});
