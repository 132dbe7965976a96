// A dropped connection during a write (issue 20, item 5): the emulator reads
// the body of the PUT and drops the connection without an answer. The browser
// reports a TypeError, as for a CORS block; since the same origin answered
// the pre-flight read, the page says the connection dropped (NetworkError),
// not CorsBlocked, and offers "Send again with the same clientToken", which
// sends the identical request and succeeds. Runtimes (UpdateAgentRuntime) and
// endpoints (UpdateAgentRuntimeEndpoint, the same flow) alike.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  useEmulatorSuite, openPage, openReadyPage, pasteCredentials, injectResponses, requests, reset, seed,
  botoUpdate, runtime, config, sampleRequest, submit, createEndpoint, waitForRuntime,
} from './harness.mjs';

const suite = useEmulatorSuite();


/** Every PUT to `path` is dropped after its body was read, until the queue is reset. */
const dropPuts = (path) => injectResponses(suite.emu, [{ drop: true, count: 100, match: { method: 'PUT', path_prefix: path } }]);

/** The outcome shown by the result panel `testid`. */
async function outcome(page, testid) {
  const result = page.locator(`[data-testid=${testid}][data-outcome]`);
  await result.waitFor({ timeout: 45_000 });
  return { outcome: await result.getAttribute('data-outcome'), code: await result.getAttribute('data-error-code') };
}

/** The dropped PUTs to `path`; resets the emulator's queue (no more drops) and log. */
async function droppedPuts(path) {
  const puts = (await requests(suite.emu)).filter((r) => r.method === 'PUT' && r.path === path);
  assert.ok(puts.length >= 1 && puts.every((p) => p.outcome === 'injected' && p.status === 0), JSON.stringify(puts));
  await reset(suite.emu);
  return puts;
}

/** Presses "Send again with the same clientToken" in `testid`; returns the PUT it sent (answered). */
async function resend(page, testid, path) {
  const panel = page.locator(`[data-testid=${testid}]`);
  assert.doesNotMatch(await panel.textContent(), /CORS/, 'the page does not blame CORS');
  await panel.locator('[data-testid=resend-same-token]').click();
  assert.deepEqual(await outcome(page, testid), { outcome: 'success', code: null });
  const puts = (await requests(suite.emu)).filter((r) => r.method === 'PUT' && r.path === path);
  assert.equal(puts.length, 1);
  assert.equal(puts[0].outcome, 'forwarded');
  return puts[0];
}

test('UpdateAgentRuntime: a connection dropped after the body was sent is not CORS; the resend sends the same clientToken and succeeds', async () => {
  const id = await seed(suite.emu);
  await reset(suite.emu);
  const page = await openReadyPage(suite, { request: sampleRequest(id) });
  const path = `/runtimes/${id}/`;
  await dropPuts(path);
  await submit(page);
  assert.deepEqual(await outcome(page, 'result'), { outcome: 'error', code: 'NetworkError' });
  const dropped = await droppedPuts(path);
  const sent = await resend(page, 'result', path);
  assert.equal(sent.body, dropped[0].body, 'the identical request');
  assert.ok(dropped.every((p) => p.body === sent.body), 'every attempt had the same clientToken');
  assert.match(JSON.parse(sent.body).clientToken, /^[0-9a-f-]{36}$/);
  assert.equal((await runtime(suite.emu, id)).agentRuntimeArtifact.containerConfiguration.containerUri,
    sampleRequest(id).agentRuntimeArtifact.containerConfiguration.containerUri);
  assert.deepEqual(suite.app.pageErrors, []);
});

test('UpdateAgentRuntimeEndpoint: the same for pointing an endpoint', async () => {
  await config(suite.emu, { ready_after_seconds: 0.3 });
  const id = await seed(suite.emu);
  await createEndpoint(suite.emu, id, 'prod', '1');
  await botoUpdate(suite.emu, id, { agentRuntimeArtifact: { containerConfiguration: { containerUri: sampleRequest(id).agentRuntimeArtifact.containerConfiguration.containerUri } } });
  await waitForRuntime(suite.emu, id);
  suite.app = await openPage(suite.browser, suite.emu.appUrl);
  const { page } = suite.app;
  await pasteCredentials(page, suite.creds);
  await page.fill('[name=endpointUrl]', suite.emu.endpoint);
  await page.getByRole('button', { name: 'List runtimes' }).click();
  await page.waitForSelector(`select[name=runtimePicker] option[value="${id}"]`, { state: 'attached' });
  await page.selectOption('select[name=runtimePicker]', id);
  await page.waitForFunction(() => document.querySelectorAll('select[name="endpointVersion.prod"] option').length >= 2);
  await page.selectOption('select[name="endpointVersion.prod"]', '2');

  const path = `/runtimes/${id}/runtime-endpoints/prod/`;
  await dropPuts(path);
  await page.click('[data-point-endpoint=prod]');
  await page.click('[data-testid=endpoint-result] [data-testid=confirm-send]');
  assert.deepEqual(await outcome(page, 'endpoint-result'), { outcome: 'error', code: 'NetworkError' });
  const dropped = await droppedPuts(path);
  const sent = await resend(page, 'endpoint-result', path);
  assert.ok(dropped.every((p) => p.body === sent.body), 'the identical request, same clientToken');
  assert.equal(JSON.parse(sent.body).agentRuntimeVersion, '2');
  assert.deepEqual(suite.app.pageErrors, []);
});

test('a write that fails as CORS from the start still offers the resend (it may have been processed)', async () => {
  await config(suite.emu, { cors: false });
  const page = await openReadyPage(suite);
  await submit(page);
  assert.deepEqual(await outcome(page, 'result'), { outcome: 'error', code: 'CorsBlocked' });
  assert.equal(await page.locator('[data-testid=result] [data-testid=resend-same-token]').count(), 1);
  assert.deepEqual(suite.app.pageErrors, []);
});
