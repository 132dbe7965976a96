// deploy/relay-function.js (the CloudFront Function of the `/aws/*`
// behaviour) run in node: the file as it is, its `import cf from
// 'cloudfront'` line replaced by a stub that records cf.updateRequestOrigin.
// Every host of deploy/relay-hosts.txt passes; hostile ones get 403.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const read = (file) => readFileSync(path.join(ROOT, file), 'utf8');
const CODE = read('deploy/relay-function.js');
const IMPORT = "import cf from 'cloudfront';\n";
const HOSTS = read('deploy/relay-hosts.txt').split('\n').filter((l) => l && !l.startsWith('#'));

/** The function's handler and its allowlist, with a fresh stub `cf`. */
function load() {
  assert.ok(CODE.startsWith(IMPORT), 'the import must be the first line (CloudFront requires it)');
  const origins = [];
  const cf = { updateRequestOrigin: (o) => origins.push(o) };
  // eslint-disable-next-line no-new-func
  const made = new Function('cf', `${CODE.slice(IMPORT.length)}\nreturn { handler, ALLOWED };`)(cf);
  return { ...made, origins };
}

const event = (uri) => ({
  version: '1.0',
  context: { eventType: 'viewer-request' },
  viewer: { ip: '192.0.2.1' },
  request: { method: 'POST', uri, querystring: { maxResults: { value: '5' } }, headers: { host: { value: 'd111111abcdef8.cloudfront.net' } }, cookies: {} },
});

test('the allowlist is exactly deploy/relay-hosts.txt (the same generated source)', () => {
  const { ALLOWED } = load();
  assert.deepEqual(Object.keys(ALLOWED).sort(), [...HOSTS].sort());
  assert.ok(HOSTS.length > 800, `${HOSTS.length}`);
  for (const h of ['bedrock-agentcore-control.eu-west-1.amazonaws.com', 'bedrock-agentcore-control-fips.us-east-1.amazonaws.com',
    'bedrock-agentcore-control.ap-southeast-2.api.aws', 'bedrock-agentcore.eu-central-1.amazonaws.com',
    'oidc.eu-west-1.amazonaws.com', 'portal.sso.us-gov-west-1.amazonaws.com', 'bedrock-agentcore-control.cn-north-1.amazonaws.com.cn']) {
    assert.ok(HOSTS.includes(h), h);
  }
});

test('every allowed host: /aws/<host> is stripped and the request goes to that host over https', () => {
  for (const host of HOSTS) {
    const { handler, origins } = load();
    const request = handler(event(`/aws/${host}/runtimes/a-1%2Fb/versions/`));
    assert.equal(request.uri, '/runtimes/a-1%2Fb/versions/', host);
    assert.deepEqual(request.querystring, { maxResults: { value: '5' } });
    assert.equal(origins.length, 1, host);
    assert.equal(origins[0].domainName, host);
    assert.equal(origins[0].customOriginConfig.protocol, 'https');
    assert.equal(origins[0].customOriginConfig.port, 443);
  }
  const { handler } = load();
  assert.equal(handler(event('/aws/oidc.eu-west-1.amazonaws.com')).uri, '/');
});

const HOSTILE = [
  // lookalikes
  'bedrock-agentcore-control.us-east-1.amazonaws.com.evil.example',
  'evilbedrock-agentcore-control.us-east-1.amazonaws.com',
  'x.bedrock-agentcore-control.us-east-1.amazonaws.com',
  'bedrock-agentcore-control.us-east-1.amazonaws.co',
  'bedrock-agentcore-control.us-east-1.amazonaws.com.',
  'bedrock-agentcore-control.moon-base-1.amazonaws.com',
  'bedrock-agentcore-control.us-east-1.amazonaws.com.cn',
  's3.us-east-1.amazonaws.com',
  'sts.amazonaws.com',
  'bedrock-agentcore-control-fips.eu-west-1.api.aws.evil',
  // userinfo, ports
  'user@bedrock-agentcore-control.us-east-1.amazonaws.com',
  'bedrock-agentcore-control.us-east-1.amazonaws.com@evil.example',
  'bedrock-agentcore-control.us-east-1.amazonaws.com:443',
  'bedrock-agentcore-control.us-east-1.amazonaws.com:8443',
  // addresses
  '127.0.0.1', '169.254.169.254', '[::1]', '0x7f000001', 'localhost',
  // encodings, traversal, empty, case
  'bedrock-agentcore-control%2Eus-east-1%2Eamazonaws%2Ecom',
  'bedrock-agentcore-control.us-east-1.amazonaws%2Ecom',
  '%62edrock-agentcore-control.us-east-1.amazonaws.com',
  '..', '.', '',
  'BEDROCK-AGENTCORE-CONTROL.US-EAST-1.AMAZONAWS.COM',
  'Bedrock-agentcore-control.us-east-1.amazonaws.com',
  // the allowlist object's own names
  '__proto__', 'constructor', 'hasOwnProperty', 'toString',
  // separators
  'bedrock-agentcore-control.us-east-1.amazonaws.com\\evil.example',
  'bedrock-agentcore-control.us-east-1.amazonaws.com evil',
  'bedrock-agentcore-control.us-east-1.amazonaws.com\u0000',
  'bedrock-agentcore-control.us-east-1.amazonaws.com;evil.example',
];

function assertRefused(uri, shown) {
  const { handler, origins } = load();
  const response = handler(event(uri));
  assert.equal(response.statusCode, 403, uri);
  assert.equal(origins.length, 0, `${uri}: no origin change`);
  assert.equal(response.headers['content-type'].value, 'application/json');
  assert.equal(response.body.encoding, 'text');
  const body = JSON.parse(response.body.data);
  assert.deepEqual(Object.keys(body), ['message']);
  assert.equal(body.message, `This relay does not forward to ${shown}`, uri);
}

test('hostile hosts get 403 {"message": "This relay does not forward to <host>"} and no origin', () => {
  for (const host of HOSTILE) {
    const plain = /^[A-Za-z0-9.%:@[\]_-]{1,253}$/.test(host);
    assertRefused(`/aws/${host}/runtimes/`, plain ? host : 'that host');
    assertRefused(`/aws/${host}`, plain ? host : 'that host');
  }
  // not under /aws/ at all, and traversal before the host
  assertRefused('/runtimes/', 'that host');
  assertRefused('/aws', 'that host');
  assertRefused('/aws/../bedrock-agentcore-control.us-east-1.amazonaws.com/runtimes/', '..');
  assertRefused('//aws/bedrock-agentcore-control.us-east-1.amazonaws.com/runtimes/', 'that host');
});

test('the template inlines deploy/relay-function.js byte for byte, under the 10 KB limit', () => {
  const lines = read('deploy/cloudfront.yaml').split('\n');
  const at = lines.findIndex((l) => l.trim() === 'FunctionCode: |');
  assert.ok(at > 0, 'FunctionCode: | in deploy/cloudfront.yaml');
  const indent = lines[at].length - lines[at].trimStart().length + 2;
  const body = [];
  for (const line of lines.slice(at + 1)) {
    if (line.trim() !== '' && line.length - line.trimStart().length < indent) break;
    body.push(line.slice(indent));
  }
  while (body.length && body[body.length - 1] === '') body.pop();
  // YAML's `|` (clip): the lines, without the indentation, and one final newline
  assert.equal(`${body.join('\n')}\n`, CODE);
  assert.ok(Buffer.byteLength(CODE) < 10 * 1024, `${Buffer.byteLength(CODE)} bytes`);
  assert.match(read('deploy/cloudfront.yaml'), /Runtime: cloudfront-js-2\.0/);
});
