// Member paths and what an import keeps (issue 11, holes 5, 13 and 14):
// map keys holding `.` or spaces work everywhere a path is used (review row,
// "Keep current value", a ValidationException's fieldList, import/export,
// the saved draft); an error about a list or map as a whole marks its group
// and is linked from the error summary; an import keeps what it says (an
// explicit `{}` or `[]` is sent and validated) and lists whatever it did not
// keep as written.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  useEmulatorSuite, openConsole, seed, boto, injectResponses, submit, waitForOutcome,
  exportForm, putRequests, runtime,
} from './harness.mjs';

const suite = useEmulatorSuite();

const ODD_ENV = { 'A.B': 'dotted', 'my key': 'spaced', LOG_LEVEL: 'info' };

/** A fresh page with credentials pasted and the emulator as endpoint. */
const freshPage = () => openConsole(suite);

function baseRequest(id, extra = {}) {
  return {
    agentRuntimeId: id,
    agentRuntimeArtifact: { containerConfiguration: { containerUri: '123456789012.dkr.ecr.us-east-1.amazonaws.com/paths:1.0.0' } },
    roleArn: 'arn:aws:iam::123456789012:role/AgentRuntimeRole',
    networkConfiguration: { networkMode: 'PUBLIC' },
    ...extra,
  };
}

/** Imports `request` and returns the import messages' text. */
async function importJson(page, request) {
  await page.fill('textarea[name=requestJson]', JSON.stringify(request));
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  const messages = page.locator('[data-testid=import-messages]');
  await messages.getByText('Imported into the form.').waitFor();
  return messages.textContent();
}

/** The env-var row index whose key control holds `key`. */
function envIndex(page, key) {
  return page.evaluate((k) => {
    const input = [...document.querySelectorAll('input[name^="environmentVariables."][name$=".key"]')].find((e) => e.value === k);
    return input ? Number(input.name.split('.')[1]) : null;
  }, key);
}

/** The text of the elements `selector`'s aria-describedby names. */
function describedText(page, selector) {
  return page.locator(selector).evaluate((el) => (el.getAttribute('aria-describedby') || '')
    .split(/\s+/).filter(Boolean).map((id) => document.getElementById(id)?.textContent || '').join(' ').trim());
}

const row = (page, path) => page.locator(`[data-testid=diff] tr[data-path="${path}"]`);

// ---------------------------------------------------------------------------
// Hole 5: typed member paths

test('env keys "A.B" and "my key": review rows carry data-key, "Keep current value" puts them back, the update keeps them', async () => {
  const id = await seed(suite.emu);
  await boto(suite.emu, `
c = session.client("bedrock-agentcore-control", endpoint_url=endpoint, region_name=region)
r = c.get_agent_runtime(agentRuntimeId=args["id"])
keep = {k: r[k] for k in ["agentRuntimeArtifact", "roleArn", "networkConfiguration"]}
c.update_agent_runtime(agentRuntimeId=args["id"], environmentVariables=args["env"], **keep)
print(json.dumps(None))
`, { id, env: ODD_ENV });
  const page = await freshPage();
  await page.fill('[name=agentRuntimeId]', id);
  await page.getByRole('button', { name: 'Load current configuration' }).click();
  await page.waitForSelector('[data-testid=diff]');
  for (const key of Object.keys(ODD_ENV)) {
    const r = row(page, `environmentVariables.${key}`);
    await r.waitFor();
    assert.equal(await r.getAttribute('data-key'), key);
    assert.equal(await r.getAttribute('data-change'), 'unchanged');
  }
  assert.equal(await row(page, 'roleArn').getAttribute('data-key'), null, 'only map entries carry data-key');

  // remove both odd keys from the form: their rows say cleared
  for (const key of ['A.B', 'my key']) {
    const i = await envIndex(page, key);
    assert.notEqual(i, null, `${key} loaded into the form`);
    await page.locator('[data-path="environmentVariables"] .row--entry', {
      has: page.locator(`[name="environmentVariables.${i}.key"]`),
    }).locator('.row__remove').click();
    await page.waitForSelector(`[data-testid=diff] tr[data-path="environmentVariables.${key}"][data-change=cleared]`);
  }
  // "Keep current value" puts each back under its whole key
  for (const key of ['A.B', 'my key']) {
    await row(page, `environmentVariables.${key}`).getByRole('button', { name: 'Keep current value' }).click();
    await page.waitForSelector(`[data-testid=diff] tr[data-path="environmentVariables.${key}"][data-change=unchanged]`);
    assert.notEqual(await envIndex(page, key), null, `${key} is back in the form`);
  }
  assert.equal(await page.locator('[data-testid=diff] tr[data-change=cleared]').count(), 0);

  await submit(page);
  const { outcome, code } = await waitForOutcome(page);
  assert.equal(outcome, 'success', `error code ${code}`);
  const puts = await putRequests(suite.emu);
  assert.deepEqual(JSON.parse(puts.at(-1).body).environmentVariables, ODD_ENV);
  assert.deepEqual((await runtime(suite.emu, id)).environmentVariables, ODD_ENV);
  assert.deepEqual(suite.app.pageErrors, []);
});

test('a ValidationException naming "environmentVariables.A.B" and "/environmentVariables/my key" marks those entries', async () => {
  const page = await freshPage();
  await importJson(page, baseRequest(suite.runtimeId, { environmentVariables: ODD_ENV }));
  await injectResponses(suite.emu, [{
    status: 400,
    headers: { 'Content-Type': 'application/json', 'x-amzn-ErrorType': 'ValidationException' },
    body: JSON.stringify({
      message: '2 validation errors detected',
      reason: 'FieldValidationFailed',
      fieldList: [
        { name: 'environmentVariables.A.B', message: 'dotted is not allowed here' },
        { name: '/environmentVariables/my key', message: 'spaced is not allowed here' },
      ],
    }),
    match: { method: 'PUT' },
  }]);
  await submit(page);
  assert.deepEqual(await waitForOutcome(page), { outcome: 'error', code: 'ValidationException' });
  for (const [key, message] of [['A.B', 'dotted is not allowed here'], ['my key', 'spaced is not allowed here']]) {
    const control = `[name="environmentVariables.${await envIndex(page, key)}.value"]`;
    await page.waitForSelector(`${control}[aria-invalid=true]`);
    assert.match(await describedText(page, control), new RegExp(message));
  }
  // the result's field list links to the entry's control
  await page.locator('[data-testid=field-list] a', { hasText: 'environmentVariables.A.B' }).click();
  const focused = await page.evaluate(() => document.activeElement?.getAttribute('name'));
  assert.equal(focused, `environmentVariables.${await envIndex(page, 'A.B')}.value`);
  assert.deepEqual(suite.app.pageErrors, []);
});

test('import/export and the saved draft keep keys with dots and spaces whole', async () => {
  const page = await freshPage();
  const scopes = { 'read.all': 'agent.read', 'write.all': 'agent.write' };
  const request = baseRequest(suite.runtimeId, {
    environmentVariables: ODD_ENV,
    authorizerConfiguration: { customJWTAuthorizer: {
      discoveryUrl: 'https://idp.example.com/.well-known/openid-configuration',
      allowedScopes: ['read.all', 'write.all'],
      advertisedScopeMapping: scopes,
    } },
  });
  const messages = await importJson(page, request);
  assert.doesNotMatch(messages, /not imported|imported as/, messages);
  assert.deepEqual(await exportForm(page), request);

  // reload: the draft comes back from localStorage, sensitive members (env) excepted
  await page.reload();
  await page.waitForSelector('[name=agentRuntimeId]');
  await page.waitForFunction(() => document.querySelector('[name=agentRuntimeId]').value !== '');
  const { environmentVariables, ...stored } = request;
  assert.deepEqual(await exportForm(page), stored);
  assert.deepEqual(suite.app.pageErrors, []);
});

// ---------------------------------------------------------------------------
// Hole 13: list- and map-level errors mark the group

test('too many items and an empty required list mark their group, and the error summary focuses it', async () => {
  const page = await freshPage();
  const ports = [9000, 9001, 9002, 9003, 9004, 9005].map((port) => ({ port }));
  const messages = await importJson(page, baseRequest(suite.runtimeId, {
    networkConfiguration: { networkMode: 'VPC', networkModeConfig: { securityGroups: ['sg-0123456789abcdef0'], subnets: [] } },
    allowedPorts: ports,
  }));
  assert.match(messages, /2 problems/, messages);
  const groups = {
    allowedPorts: /At most 5 entries allowed \(now 6\)/,
    'networkConfiguration.networkModeConfig.subnets': /Add at least 1 entry \(now 0\)/,
  };
  for (const [path, message] of Object.entries(groups)) {
    const group = `[data-path="${path}"][role=group]`;
    await page.waitForSelector(`${group}[aria-invalid=true]`);
    assert.match(await describedText(page, group), message);
  }

  await page.getByRole('button', { name: 'Update agent runtime' }).click();
  const summary = page.locator('[data-testid=error-summary]');
  await summary.waitFor();
  for (const path of Object.keys(groups)) {
    await summary.getByRole('link', { name: path, exact: true }).click();
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-path')), path);
  }
  assert.equal((await putRequests(suite.emu)).length, 0, 'nothing was sent');

  // fixing the list clears its mark
  await page.locator('[data-path="allowedPorts"] .row__remove').last().click();
  await page.waitForSelector('[data-path="allowedPorts"][aria-invalid=false]');
  assert.deepEqual(suite.app.pageErrors, []);
});

// ---------------------------------------------------------------------------
// Hole 14: an import keeps what it says

test('an imported "networkConfiguration": {} is kept and validated; "allowedPorts": [] too; what is not kept is listed', async () => {
  const page = await freshPage();
  const messages = await importJson(page, {
    ...baseRequest(suite.runtimeId, { networkConfiguration: {}, allowedPorts: [] }),
    description: null,
    platformVersion: 7,
  });
  assert.match(messages, /`description` is null; it was not imported/, messages);
  assert.match(messages, /`platformVersion` is a number in the JSON; it was imported as the text “7”/, messages);

  // set but incomplete: open, and its required member is marked
  await page.waitForSelector('select[name="networkConfiguration.networkMode"][aria-invalid=true]');
  assert.match(await describedText(page, 'select[name="networkConfiguration.networkMode"]'), /Required/);
  await page.waitForSelector('[data-path="allowedPorts"][role=group][aria-invalid=true]');
  assert.match(await describedText(page, '[data-path="allowedPorts"]'), /Add at least 1 entry/);

  // what would be sent is what was imported
  const exported = await exportForm(page);
  assert.deepEqual(exported.networkConfiguration, {});
  assert.deepEqual(exported.allowedPorts, []);

  // and it is not sent as it stands
  await page.getByRole('button', { name: 'Update agent runtime' }).click();
  await page.locator('[data-testid=error-summary]').getByRole('link', { name: 'networkConfiguration.networkMode' }).waitFor();
  assert.equal((await putRequests(suite.emu)).length, 0);

  // "Leave unset" is the way back to "not sent"
  await page.locator('[data-path="allowedPorts"]').getByRole('button', { name: 'Leave unset' }).click();
  await page.waitForSelector('[data-path="allowedPorts"][aria-invalid=false]');
  await page.selectOption('select[name="networkConfiguration.networkMode"]', 'PUBLIC');
  await submit(page);
  const { outcome, code } = await waitForOutcome(page);
  assert.equal(outcome, 'success', `error code ${code}`);
  const sent = JSON.parse((await putRequests(suite.emu)).at(-1).body);
  assert.deepEqual(sent.networkConfiguration, { networkMode: 'PUBLIC' });
  assert.ok(!('allowedPorts' in sent));
  assert.deepEqual(suite.app.pageErrors, []);
});
