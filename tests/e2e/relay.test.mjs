// The relay (issue "Real AWS from a static site"): Debian's nginx with the
// repo's deploy/nginx.conf (only its upstream pointed at the emulator, over
// TLS, see harness.mjs startNginx) serves the release build under
// /tools/console/ and relays the AgentCore API: `/aws/<host>/…` to the
// allowed <host> (relayUrl `/aws/{host}`), and the older fixed forms (relayUrl
// empty or `/aws`) with `Host: bedrock-agentcore-control.us-east-1.amazonaws.com`.
// The emulator checks every signature with botocore for the Host it
// receives, and that the host's region is the signature's.
//
// In relay mode the page signs for the AWS host and sends to its own origin:
// the whole safe-update path (list, load, review, send, follow to READY)
// runs through nginx, at the origin's root, under the `/aws` prefix and
// with the signed host in the path, for two regions and a FIPS host.

import { test, beforeEach, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  useEmulatorSuite, startNginx, openPage, boto, config, reset, runtime, requests, putRequests,
  pasteCredentials, submit, waitForOutcome, AWS_HOST,
} from './harness.mjs';

const suite = useEmulatorSuite();
const EU_HOST = 'bedrock-agentcore-control.eu-west-1.amazonaws.com';
const FIPS_HOST = 'bedrock-agentcore-control-fips.us-east-1.amazonaws.com';
// nginx starts with the first test (the suite's emulator is up by then) and
// stops with the file.
let relay;
beforeEach(async () => {
  relay ??= await startNginx(suite.emu, { hosts: [AWS_HOST, EU_HOST, FIPS_HOST] });
});
after(async () => {
  await relay?.stop();
});

const CONTAINER_URI = 'agentRuntimeArtifact.containerConfiguration.containerUri';
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** The page from nginx, credentials pasted, `region` and `variant`, no custom endpoint. Records every request URL. */
async function relayPage({ region = 'us-east-1', variant = 'standard' } = {}) {
  suite.app = await openPage(suite.browser, relay.appUrl);
  const { page } = suite.app;
  suite.app.urls = [];
  page.on('request', (r) => suite.app.urls.push(r.url()));
  await pasteCredentials(page, suite.creds);
  await page.fill('[name=region]', region);
  await page.selectOption('select[name=endpointVariant]', variant);
  await page.fill('[name=endpointUrl]', '');
  return page;
}

/** Chooses "Send through" = relay with `relayUrl`; waits for the panel's sentence (signed for `host` in `region`). */
async function useRelay(page, relayUrl, { host = AWS_HOST, region = 'us-east-1' } = {}) {
  await page.selectOption('select[name=sendVia]', 'relay');
  await page.fill('[name=relayUrl]', relayUrl);
  const expected = `Signed for https://${host} (${region}), sent through ${relay.origin}${relayUrl.replace('{host}', host)}`;
  await page.waitForFunction(
    (text) => document.querySelector('[data-testid=resolved-endpoint]')?.textContent.trim() === text,
    expected,
  );
}

/** List runtimes, choose `id`, load its configuration (all through the page). */
async function pickAndLoad(page, id) {
  await page.getByRole('button', { name: 'List runtimes' }).click();
  await page.waitForFunction(() => /runtimes? found|Could not/.test(document.querySelector('[data-testid=picker-message]')?.textContent || ''));
  const listed = await page.textContent('[data-testid=picker-message]');
  assert.match(listed, /runtimes? found/, listed);
  await page.selectOption('select[name=runtimePicker]', id);
  await page.getByRole('button', { name: 'Load current configuration' }).click();
  await page.waitForFunction(() => /Loaded version|Could not/.test(document.querySelector('[data-testid=picker-message]')?.textContent || ''));
  const loaded = await page.textContent('[data-testid=picker-message]');
  assert.match(loaded, /Loaded version/, loaded);
  await page.waitForSelector('[data-testid=diff]');
}

/** POST /runtimes/ signed by botocore for `signedUrl` (in `region`), sent to `sentUrl`: [status, error type]. */
function signedList(signedUrl, sentUrl, region = 'us-east-1') {
  return boto(suite.emu, `
import urllib.request, urllib.error
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
req = AWSRequest(method="POST", url=args["signed"], data=b"", headers={"Content-Type": "application/json"})
SigV4Auth(session.get_credentials(), "bedrock-agentcore", args["region"]).add_auth(req)
headers = {k: v for k, v in req.headers.items() if k.lower() != "host"}
sent = urllib.request.Request(args["sent"], data=b"", method="POST", headers=headers)
try:
    with urllib.request.urlopen(sent, timeout=30) as r:
        print(json.dumps([r.status, r.headers.get("x-amzn-ErrorType")]))
except urllib.error.HTTPError as e:
    print(json.dumps([e.code, e.headers.get("x-amzn-ErrorType")]))
`, { signed: signedUrl, sent: sentUrl, region });
}

test('the relay keeps a signature made for the AWS host; one made for the relay\'s own host is refused with InvalidSignatureException', async () => {
  const aws = `https://${AWS_HOST}/runtimes/`;
  assert.deepEqual(await signedList(aws, `${relay.origin}/runtimes/`), [200, null]);
  assert.deepEqual(await signedList(aws, `${relay.origin}/aws/runtimes/`), [200, null]);
  const [status, type] = await signedList(`${relay.origin}/runtimes/`, `${relay.origin}/runtimes/`);
  assert.equal(status, 403);
  assert.match(type, /^InvalidSignatureException/);
  // a signature over the prefixed path is refused too: the prefix is not part of what AWS sees
  const [prefixedStatus, prefixedType] = await signedList(`https://${AWS_HOST}/aws/runtimes/`, `${relay.origin}/aws/runtimes/`);
  assert.equal(prefixedStatus, 403);
  assert.match(prefixedType, /^InvalidSignatureException/);
  assert.match(relay.accessLog(), /"POST \/aws\/runtimes\/ HTTP\/1\.1" 200/);
});

test('{host} mode: the relay forwards to the host named in the path, each signature checked for its host and region', async () => {
  for (const [host, region] of [[AWS_HOST, 'us-east-1'], [EU_HOST, 'eu-west-1'], [FIPS_HOST, 'us-east-1']]) {
    assert.deepEqual(await signedList(`https://${host}/runtimes/`, `${relay.origin}/aws/${host}/runtimes/`, region), [200, null], host);
  }
  // signed for eu-west-1's host, sent to us-east-1's: the host is part of the signature
  const [status, type] = await signedList(`https://${EU_HOST}/runtimes/`, `${relay.origin}/aws/${AWS_HOST}/runtimes/`, 'eu-west-1');
  assert.equal(status, 403);
  assert.match(type, /^InvalidSignatureException/);
  const seen = await requests(suite.emu);
  assert.deepEqual(seen.filter((r) => !/rejected/.test(r.outcome)).map((r) => r.headers.host), [AWS_HOST, EU_HOST, FIPS_HOST]);
  assert.ok(seen.every((r) => r.path === '/runtimes/'), JSON.stringify(seen.map((r) => r.path)));
});

test('{host} mode refuses every host off the allowlist with 403 and a JSON message, before anything reaches AWS', async () => {
  const hostile = [
    ['evil.example.com', 'evil.example.com'],
    [`${AWS_HOST}.evil.example`, `${AWS_HOST}.evil.example`],
    [AWS_HOST.toUpperCase(), AWS_HOST.toUpperCase()],
    [`${AWS_HOST}:443`, `${AWS_HOST}:443`],
    [`user@${AWS_HOST}`, `user@${AWS_HOST}`],
    ['127.0.0.1', '127.0.0.1'],
    ['169.254.169.254', '169.254.169.254'],
    [AWS_HOST.replaceAll('.', '%2E'), AWS_HOST.replaceAll('.', '%2E')],
    ['s3.us-east-1.amazonaws.com', 's3.us-east-1.amazonaws.com'],
    ['bedrock-agentcore-control.moon-base-1.amazonaws.com', 'bedrock-agentcore-control.moon-base-1.amazonaws.com'],
  ];
  for (const [segment, shown] of hostile) {
    const res = await fetch(`${relay.origin}/aws/${segment}/runtimes/`, { method: 'POST', body: '{}' });
    assert.equal(res.status, 403, segment);
    assert.match(res.headers.get('content-type'), /^application\/json/);
    assert.deepEqual(await res.json(), { message: `This relay does not forward to ${shown}` }, segment);
  }
  assert.deepEqual(await requests(suite.emu), [], 'nothing reached the emulator');
});

test('{host} mode: the relay\'s refusal is shown in the page as it came', async () => {
  const page = await relayPage();
  await page.fill('[name=endpointUrl]', 'https://evil.example.com');
  await page.selectOption('select[name=sendVia]', 'relay');
  await page.fill('[name=relayUrl]', '/aws/{host}');
  await page.waitForFunction(
    (origin) => document.querySelector('[data-testid=resolved-endpoint]')?.textContent.includes(`sent through ${origin}/aws/evil.example.com`),
    relay.origin,
  );
  await page.getByRole('button', { name: 'List runtimes' }).click();
  await page.waitForFunction(() => /Could not/.test(document.querySelector('[data-testid=picker-message]')?.textContent || ''));
  assert.match(await page.textContent('[data-testid=picker-message]'), /Http403 \(HTTP 403\): This relay does not forward to evil\.example\.com/);
  assert.deepEqual(await requests(suite.emu), []);
});

for (const [region, variant, host] of [['eu-west-1', 'standard', EU_HOST], ['us-east-1', 'fips', FIPS_HOST]]) {
  test(`{host} mode, ${region} ${variant}: listed through nginx to ${host}, signature checked there`, async () => {
    const page = await relayPage({ region, variant });
    await useRelay(page, '/aws/{host}', { host, region });
    await page.getByRole('button', { name: 'List runtimes' }).click();
    await page.waitForFunction(() => /runtimes? found|Could not/.test(document.querySelector('[data-testid=picker-message]')?.textContent || ''));
    assert.match(await page.textContent('[data-testid=picker-message]'), /runtimes? found/);
    const api = suite.app.urls.filter((u) => u.includes('/runtimes'));
    assert.ok(api.length >= 1);
    for (const u of api) assert.ok(u.startsWith(`${relay.origin}/aws/${host}/runtimes/`), u);
    const seen = await requests(suite.emu);
    assert.ok(seen.length >= 1);
    for (const r of seen) {
      assert.equal(r.headers.host, host);
      assert.equal(r.path, '/runtimes/');
      assert.doesNotMatch(r.outcome, /rejected/, JSON.stringify(r));
    }
    assert.deepEqual(suite.app.cspViolations, []);
  });
}

test('a fixed relay (`/aws`) in another region than its own: InvalidSignatureException with the advice to use {host}', async () => {
  const page = await relayPage();
  await useRelay(page, '/aws/{host}');
  await pickAndLoad(page, suite.runtimeId);
  await reset(suite.emu);
  // now signed for eu-west-1, sent through the fixed relay to us-east-1's host
  await page.fill('[name=region]', 'eu-west-1');
  await useRelay(page, '/aws', { host: EU_HOST, region: 'eu-west-1' });
  await submit(page);
  const { outcome, code } = await waitForOutcome(page);
  assert.equal(outcome, 'error');
  assert.equal(code, 'InvalidSignatureException');
  const advice = page.locator('[data-testid=relay-advice]');
  await advice.waitFor();
  assert.match(await advice.textContent(), /another region.*\/aws\/\{host\}/s);
  const seen = await requests(suite.emu);
  assert.ok(seen.length >= 1);
  for (const r of seen) {
    assert.equal(r.headers.host, AWS_HOST, 'the fixed relay sent it to its own region');
    assert.equal(r.outcome, 'rejected:InvalidSignatureException');
  }
});

for (const relayUrl of ['', '/aws', '/aws/{host}']) {
  test(`relay mode (relayUrl "${relayUrl}"): list, load, review and send through nginx; the emulator sees the change; follow to READY`, async () => {
    const page = await relayPage();
    await useRelay(page, relayUrl);
    await pickAndLoad(page, suite.runtimeId);
    const tag = { '': '3.0.0', '/aws': '3.1.0' }[relayUrl] ?? '3.2.0';
    const uri = `123456789012.dkr.ecr.us-east-1.amazonaws.com/sample-agent:${tag}`;
    await page.fill(`[name="${CONTAINER_URI}"]`, uri);
    await page.waitForSelector(`[data-testid=diff] tr[data-path="${CONTAINER_URI}"][data-change=changed]`);
    await config(suite.emu, { ready_after_seconds: 1 });
    await submit(page);
    const { outcome, code } = await waitForOutcome(page);
    assert.equal(outcome, 'success', `error code ${code}`);
    await page.waitForSelector('[data-testid=result][data-status=READY]', { timeout: 30_000 });

    const puts = await putRequests(suite.emu);
    assert.equal(puts.length, 1);
    assert.equal(JSON.parse(puts[0].body).agentRuntimeArtifact.containerConfiguration.containerUri, uri);
    assert.equal((await runtime(suite.emu, suite.runtimeId)).agentRuntimeArtifact.containerConfiguration.containerUri, uri);
    // every call went to the page's own origin, under the prefix, and through nginx
    const api = suite.app.urls.filter((u) => u.includes('/runtimes'));
    assert.ok(api.length >= 4, JSON.stringify(api));
    const sentPrefix = `${relay.origin}${relayUrl.replace('{host}', AWS_HOST)}`;
    for (const u of api) assert.ok(u.startsWith(`${sentPrefix}/runtimes/`), u);
    assert.ok(suite.app.urls.every((u) => u.startsWith(relay.origin)), JSON.stringify(suite.app.urls));
    const log = relay.accessLog();
    const logged = relayUrl.replace('{host}', AWS_HOST).replaceAll('.', '\\.');
    assert.match(log, new RegExp(`"PUT ${logged}/runtimes/${suite.runtimeId}/ HTTP/1\\.1" 202`));
    assert.match(log, new RegExp(`"GET ${logged}/runtimes/${suite.runtimeId}/ HTTP/1\\.1" 200`));
    // the emulator only saw operation paths (no prefix), all with valid signatures
    const seen = await requests(suite.emu);
    assert.ok(seen.length >= 3);
    for (const r of seen) {
      assert.ok(r.path.startsWith('/runtimes/'), r.path);
      assert.equal(r.headers.host, AWS_HOST);
      assert.doesNotMatch(r.outcome, /rejected/, JSON.stringify(r));
    }
    // what was signed names the AWS host, not the relay's
    assert.match(await page.textContent('[data-testid=canonical-request]'), new RegExp(`\\nhost:${AWS_HOST.replaceAll('.', '\\.')}\\n`));
    assert.deepEqual(suite.app.cspViolations, []);
    assert.deepEqual(suite.app.pageErrors, []);
  });
}

test('relay mode shows the same codes: a custom endpoint set to the relay itself is signed for the relay and refused with InvalidSignatureException', async () => {
  const page = await relayPage();
  await useRelay(page, '/aws');
  await pickAndLoad(page, suite.runtimeId);
  await reset(suite.emu);
  // signed for 127.0.0.1:<port> (the custom endpoint), sent directly: nginx
  // sets Host to the AWS host and the emulator refuses the signature
  await page.selectOption('select[name=sendVia]', 'direct');
  await page.fill('[name=endpointUrl]', `${relay.origin}/aws`);
  await page.waitForFunction(
    (origin) => document.querySelector('[data-testid=resolved-endpoint]')?.textContent.includes(`Signed for ${origin}/aws`),
    relay.origin,
  );
  await submit(page);
  const { outcome, code } = await waitForOutcome(page);
  assert.equal(outcome, 'error');
  assert.equal(code, 'InvalidSignatureException');
  const puts = await putRequests(suite.emu);
  assert.ok(puts.length >= 1);
  for (const put of puts) assert.equal(put.outcome, 'rejected:InvalidSignatureException', 'no update reached the runtime');
  assert.equal(await page.$('[data-testid=relay-advice]'), null, 'an answer came: no relay advice');
});

test('direct mode to an AWS endpoint that cannot be reached explains the relay, with a link', async () => {
  const page = await relayPage();
  await useRelay(page, '');
  await pickAndLoad(page, suite.runtimeId);
  await page.selectOption('select[name=sendVia]', 'direct');
  await page.waitForFunction(
    (host) => document.querySelector('[data-testid=resolved-endpoint]')?.textContent.includes(`Signed for https://${host} (us-east-1), sent directly`),
    AWS_HOST,
  );
  // the page's CSP (connect-src 'self') and this machine's network keep the browser from AWS
  await submit(page, { confirmWithinMs: 15_000 });
  const { outcome, code } = await waitForOutcome(page, 60_000);
  assert.equal(outcome, 'error');
  assert.ok(['ConnectionFailed', 'CorsBlocked'].includes(code), code);
  const advice = page.locator('[data-testid=relay-advice]');
  await advice.waitFor();
  assert.match(await advice.textContent(), /relay/);
  assert.ok(await advice.locator('a').getAttribute('href'));
});

test('the relay choice is saved and shown as restored on the next visit; invalid values are never saved', async () => {
  const page = await relayPage();
  await useRelay(page, '/aws');
  await page.fill('[name=endpointUrl]', `https://${AWS_HOST}`);
  await page.waitForFunction(() => /sent through/.test(document.querySelector('[data-testid=resolved-endpoint]')?.textContent || ''));
  await sleep(200);
  // an invalid value is shown as an error and not saved
  await page.fill('[name=relayUrl]', '//evil.example.com');
  await page.waitForSelector('[name=relayUrl][aria-invalid=true]');
  await page.fill('[name=endpointUrl]', 'http://planted.example.com');
  await page.waitForSelector('[name=endpointUrl][aria-invalid=true]');
  assert.match(await page.textContent('[data-testid=resolved-endpoint]'), /plain `http:\/\/`/);
  const saved = JSON.parse(await page.evaluate(() => localStorage.getItem('agentcore-console.settings')));
  assert.equal(saved.sendVia, 'relay');
  assert.equal(saved.relayUrl, '/aws');
  assert.equal(saved.endpointUrl, `https://${AWS_HOST}`);

  await page.reload();
  await page.waitForSelector('select[name=sendVia]');
  assert.equal(await page.inputValue('select[name=sendVia]'), 'relay');
  assert.equal(await page.inputValue('[name=relayUrl]'), '/aws');
  assert.equal(await page.inputValue('[name=endpointUrl]'), `https://${AWS_HOST}`);
  assert.match(await page.textContent('[data-testid=restored-endpoint]'), /restored from your last visit/);
  assert.match(await page.textContent('[data-testid=restored-relay]'), /restored from your last visit/);
  // changing a value drops its mark
  await page.fill('[name=relayUrl]', '');
  await page.waitForSelector('[data-testid=restored-relay]', { state: 'detached' });
  assert.ok(await page.$('[data-testid=restored-endpoint]'));
});
