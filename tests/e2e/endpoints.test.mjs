// After the update (issue 12, sections 1 and 2): the Endpoints panel
// (ListAgentRuntimeEndpoints, every endpoint of the chosen runtime; pointing a
// named endpoint with UpdateAgentRuntimeEndpoint through the pre-flight,
// confirmation and follow of the update), the offers to move named endpoints
// after an update reached READY, and the Versions panel (compare two versions
// with GetAgentRuntime ?version=, restore one and send it as a new version).
//
// Every test works on a runtime of its own (seeded through the emulator).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  useEmulatorSuite, botoUpdate, openPage, requests, runtime, seed, boto, config, pasteCredentials, submit,
  injectResponses, createEndpoint, waitForRuntime,
} from './harness.mjs';

const suite = useEmulatorSuite();

const IMAGE = (tag) => `123456789012.dkr.ecr.us-east-1.amazonaws.com/sample-agent:${tag}`;
const CONTAINER_URI = 'agentRuntimeArtifact.containerConfiguration.containerUri';

/** Reads an endpoint with boto3. */
function getEndpoint(id, name) {
  return boto(suite.emu, `
c = session.client("bedrock-agentcore-control", endpoint_url=endpoint, region_name=region)
r = c.get_agent_runtime_endpoint(agentRuntimeId=args["id"], endpointName=args["name"])
print(json.dumps({k: r.get(k) for k in ["liveVersion", "targetVersion", "status", "description"]}))
`, { id, name });
}


/** A fresh page with credentials and the emulator; `id` chosen in the picker. */
async function pageWithRuntime(id) {
  suite.app = await openPage(suite.browser, suite.emu.appUrl);
  const { page } = suite.app;
  await pasteCredentials(page, suite.creds);
  await page.fill('[name=endpointUrl]', suite.emu.endpoint);
  await page.getByRole('button', { name: 'List runtimes' }).click();
  await page.waitForSelector(`select[name=runtimePicker] option[value="${id}"]`, { state: 'attached' });
  await page.selectOption('select[name=runtimePicker]', id);
  return page;
}

const row = (page, name) => page.locator(`[data-testid=endpoint-row][data-name="${name}"]`);

async function rowAttrs(page, name) {
  const r = row(page, name);
  await r.waitFor();
  return r.evaluate((el) => Object.fromEntries(
    ['data-live-version', 'data-target-version', 'data-status', 'data-behind'].map((a) => [a, el.getAttribute(a)]),
  ));
}

/** Confirms the endpoint flow's confirmation and waits until it is followed to `status`. */
async function confirmAndFollow(page, status = 'READY') {
  const confirm = page.locator('[data-testid=endpoint-result] [data-testid=confirm]');
  await confirm.waitFor();
  const attrs = await confirm.evaluate((el) => ({
    endpoint: el.getAttribute('data-endpoint'),
    live: el.getAttribute('data-live-version'),
    target: el.getAttribute('data-target-version'),
    reason: el.getAttribute('data-reason'),
    text: el.textContent,
  }));
  await page.click('[data-testid=endpoint-result] [data-testid=confirm-send]');
  await page.waitForSelector(`[data-testid=endpoint-result][data-status=${status}]`, { timeout: 30_000 });
  return attrs;
}

/** UpdateAgentRuntimeEndpoint requests for `name` (CreateAgentRuntimeEndpoint is a PUT too, without the name). */
const endpointPuts = async (id, name = 'prod') => (await requests(suite.emu))
  .filter((r) => r.method === 'PUT' && r.path === `/runtimes/${id}/runtime-endpoints/${name}/`);

test('endpoints: a named endpoint behind is pointed at the latest version and followed to READY', async () => {
  await config(suite.emu, { ready_after_seconds: 0.5 });
  const id = await seed(suite.emu);
  await createEndpoint(suite.emu, id, 'prod', '1');
  assert.equal(await botoUpdate(suite.emu, id, { agentRuntimeArtifact: { containerConfiguration: { containerUri: IMAGE('2.0.0') } } }), '2');
  await waitForRuntime(suite.emu, id);

  const page = await pageWithRuntime(id);
  // "behind" needs the version list too; it loads beside the endpoint list
  await page.waitForFunction(() => document.querySelectorAll('select[name="endpointVersion.prod"] option').length >= 2);
  assert.deepEqual(await rowAttrs(page, 'prod'), {
    'data-live-version': '1', 'data-target-version': '1', 'data-status': 'READY', 'data-behind': 'true',
  });
  const def = await rowAttrs(page, 'DEFAULT');
  assert.equal(def['data-live-version'], '2');
  assert.equal(def['data-behind'], null, 'DEFAULT is on the latest version');
  assert.match(await row(page, 'DEFAULT').textContent(), /Follows the latest version automatically/);
  assert.equal(await row(page, 'DEFAULT').locator('select').count(), 0, 'DEFAULT has no version to choose');

  // The version select offers every version and starts on the latest.
  const select = page.locator('select[name="endpointVersion.prod"]');
  assert.deepEqual(await select.locator('option').evaluateAll((os) => os.map((o) => o.value).sort()), ['1', '2']);
  assert.equal(await select.inputValue(), '2');
  await page.click('[data-point-endpoint=prod]');
  const confirm = await confirmAndFollow(page);
  assert.deepEqual(
    { endpoint: confirm.endpoint, live: confirm.live, target: confirm.target, reason: confirm.reason },
    { endpoint: 'prod', live: '1', target: '2', reason: 'version-move' },
  );
  assert.match(confirm.text, /prod.*version 1.*version 2/);

  const puts = await endpointPuts(id);
  assert.equal(puts.length, 1, 'one UpdateAgentRuntimeEndpoint');
  const body = JSON.parse(puts[0].body);
  assert.equal(body.agentRuntimeVersion, '2');
  assert.match(body.clientToken, /^[0-9a-f-]{36}$/);
  assert.ok(!('description' in body), 'the description is not sent unless edited');
  // the pre-flight read came first
  const log = await requests(suite.emu);
  const firstGet = log.findIndex((r) => r.method === 'GET' && r.path === `/runtimes/${id}/runtime-endpoints/prod/`);
  const put = log.findIndex((r) => r.method === 'PUT' && r.path === `/runtimes/${id}/runtime-endpoints/prod/`);
  assert.ok(firstGet >= 0 && firstGet < put, 'GetAgentRuntimeEndpoint before the PUT');

  assert.deepEqual(await getEndpoint(id, 'prod'), { liveVersion: '2', targetVersion: '2', status: 'READY', description: null });
  // The panel lists the endpoints again once READY.
  await page.waitForSelector('[data-testid=endpoint-row][data-name=prod][data-live-version="2"]');
  assert.equal(await row(page, 'prod').getAttribute('data-behind'), null);
});

test('endpoints: every page of ListAgentRuntimeEndpoints is listed', async () => {
  const id = await seed(suite.emu);
  await createEndpoint(suite.emu, id, 'prod', '1');
  const now = new Date().toISOString();
  const staging = {
    name: 'staging', id: 'staging-0123456789', status: 'READY', liveVersion: '1', targetVersion: '1',
    agentRuntimeEndpointArn: `arn:aws:bedrock-agentcore:us-east-1:123456789012:runtime/${id}/runtime-endpoint/staging`,
    agentRuntimeArn: `arn:aws:bedrock-agentcore:us-east-1:123456789012:runtime/${id}`,
    createdAt: now, lastUpdatedAt: now,
  };
  await injectResponses(suite.emu, [
    { status: 200, body: { runtimeEndpoints: [staging], nextToken: 'page-2' }, match: { method: 'POST', path_prefix: `/runtimes/${id}/runtime-endpoints` } },
  ]);
  const page = await pageWithRuntime(id);
  for (const name of ['staging', 'prod', 'DEFAULT']) await row(page, name).waitFor();
  const lists = (await requests(suite.emu)).filter((r) => r.method === 'POST' && r.path === `/runtimes/${id}/runtime-endpoints/`);
  assert.equal(lists.length, 2, 'two pages requested');
  assert.equal(new URLSearchParams(lists[1].query).get('nextToken'), 'page-2');
  assert.equal(await page.locator('[data-testid=endpoint-row]').count(), 3);
});

test('endpoints: pointing back to an older version; an edited description is sent; a failure shows its reason', async () => {
  await config(suite.emu, { ready_after_seconds: 0.3 });
  const id = await seed(suite.emu);
  await createEndpoint(suite.emu, id, 'prod', '1');
  await botoUpdate(suite.emu, id, { agentRuntimeArtifact: { containerConfiguration: { containerUri: IMAGE('2.0.0') } } });
  await waitForRuntime(suite.emu, id);
  const page = await pageWithRuntime(id);
  await row(page, 'prod').waitFor();
  await page.fill('[name="endpointDescription.prod"]', 'production');
  await page.selectOption('select[name="endpointVersion.prod"]', '2');
  await page.click('[data-point-endpoint=prod]');
  await confirmAndFollow(page);
  assert.equal(JSON.parse((await endpointPuts(id))[0].body).description, 'production');

  await config(suite.emu, { fail_next_endpoint_update: 'version 1 is not healthy' });
  await page.waitForSelector('[data-testid=endpoint-row][data-name=prod][data-live-version="2"]');
  await page.selectOption('select[name="endpointVersion.prod"]', '1');
  await page.click('[data-point-endpoint=prod]');
  const confirm = await confirmAndFollow(page, 'UPDATE_FAILED');
  assert.equal(confirm.target, '1');
  assert.match(await page.textContent('[data-testid=endpoint-result] [data-testid=failure-reason]'), /version 1 is not healthy/);
});

test('endpoints: after an update reaches READY, the result offers to point each named endpoint behind', async () => {
  await config(suite.emu, { ready_after_seconds: 0.5 });
  const id = await seed(suite.emu);
  await createEndpoint(suite.emu, id, 'prod', '1');
  await createEndpoint(suite.emu, id, 'canary', '1');
  const page = await pageWithRuntime(id);
  await row(page, 'prod').waitFor();
  assert.equal(await row(page, 'prod').getAttribute('data-behind'), null, 'on the latest version before the update');
  await page.getByRole('button', { name: 'Load current configuration' }).click();
  await page.waitForSelector('[data-testid=diff]');
  await page.fill(`[name="${CONTAINER_URI}"]`, IMAGE('3.0.0'));
  await submit(page);
  await page.waitForSelector('[data-testid=result][data-status=READY]', { timeout: 30_000 });
  const offers = page.locator('[data-testid=result] [data-point-offer]');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=result] [data-point-offer]').length === 2);
  assert.deepEqual((await offers.allTextContents()).sort(), ['Point canary to version 2', 'Point prod to version 2']);
  await page.click('[data-point-offer=prod]');
  const confirm = await confirmAndFollow(page);
  assert.deepEqual([confirm.endpoint, confirm.live, confirm.target], ['prod', '1', '2']);
  assert.equal((await getEndpoint(id, 'prod')).liveVersion, '2');
  assert.equal((await getEndpoint(id, 'canary')).liveVersion, '1');
});

test('versions: compare two versions, restore an older one, review it against the latest and send it', async () => {
  await config(suite.emu, { ready_after_seconds: 0.3 });
  const id = await seed(suite.emu);
  const v1 = await runtime(suite.emu, id);
  await botoUpdate(suite.emu, id, {
    agentRuntimeArtifact: { containerConfiguration: { containerUri: IMAGE('2.0.0') } },
    environmentVariables: { LOG_LEVEL: 'debug' },
  });
  await waitForRuntime(suite.emu, id);
  const page = await pageWithRuntime(id);
  await page.waitForSelector('[data-restore-version="1"]');

  await page.selectOption('select[name=compareFrom]', '1');
  await page.selectOption('select[name=compareTo]', '2');
  await page.getByRole('button', { name: 'Compare versions' }).click();
  const diff = page.locator('[data-testid=version-diff]');
  await diff.waitFor();
  const change = (path) => diff.locator(`[data-path="${path}"]`).getAttribute('data-change');
  assert.equal(await change(CONTAINER_URI), 'changed');
  assert.equal(await change('environmentVariables.LOG_LEVEL'), 'changed');
  assert.equal(await change('environmentVariables.MODEL_ID'), 'cleared');
  assert.equal(await change('roleArn'), 'unchanged');
  const gets = (await requests(suite.emu)).filter((r) => r.method === 'GET' && r.path === `/runtimes/${id}/`);
  assert.ok(gets.some((r) => r.query === 'version=1') && gets.some((r) => r.query === 'version=2'), JSON.stringify(gets.map((r) => r.query)));

  await page.click('[data-restore-version="1"]');
  await page.waitForFunction(() => /Loaded version 1/.test(document.querySelector('[data-testid=versions-message]')?.textContent || ''));
  assert.equal(await page.inputValue(`[name="${CONTAINER_URI}"]`), IMAGE('1.4.2'));
  const review = page.locator('[data-testid=diff]');
  assert.match(await review.textContent(), /Against version 2/);
  assert.equal(await review.locator(`[data-path="${CONTAINER_URI}"]`).getAttribute('data-change'), 'changed');
  assert.equal(await review.locator('[data-path="environmentVariables.MODEL_ID"]').getAttribute('data-change'), 'added');

  await submit(page);
  await page.waitForSelector('[data-testid=result][data-status=READY]', { timeout: 30_000 });
  const v3 = await runtime(suite.emu, id);
  assert.equal(v3.agentRuntimeVersion, '3');
  assert.deepEqual(v3.agentRuntimeArtifact, v1.agentRuntimeArtifact);
  assert.deepEqual(v3.environmentVariables, v1.environmentVariables);
  assert.equal(v3.description, v1.description);
});
