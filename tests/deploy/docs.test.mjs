// docs/deploy.md, run: every `sh` block parses; the CloudFormation and
// upload commands run with a stand-in `aws` and `make` (recorded, in order);
// the local nginx walk-through runs as written (its paths and ports swapped
// for free ones, the emulator swapped for a server that echoes what it
// gets); the credentials one-liner runs; and the headers shown are the ones
// deploy/nginx.conf and deploy/cloudfront.yaml send.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const read = (file) => readFileSync(path.join(ROOT, file), 'utf8');
const DOC = read('docs/deploy.md');
const NGINX = process.env.NGINX || '/usr/sbin/nginx';

/** The fenced blocks of the doc: { lang, text }, dedented by their fence's indentation. */
function blocks() {
  const out = [];
  const re = /^( *)```(\w*)\n([\s\S]*?)^\1```$/gm;
  for (const m of DOC.matchAll(re)) {
    const indent = m[1].length;
    const text = m[3].split('\n').map((l) => l.slice(Math.min(indent, l.length - l.trimStart().length))).join('\n');
    out.push({ lang: m[2], text });
  }
  return out;
}
const sh = () => blocks().filter((b) => b.lang === 'sh');
const blockWith = (needle) => {
  const found = sh().filter((b) => b.text.includes(needle));
  assert.equal(found.length, 1, `one sh block with ${needle}`);
  return found[0].text;
};

/** A temp "checkout": deploy/ and scripts/ of the repo, a small dist/, stub aws and make on PATH recording their calls. */
function sandbox() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'deploy-doc-'));
  chmodSync(dir, 0o755);
  for (const d of ['deploy', 'scripts', 'model']) symlinkSync(path.join(ROOT, d), path.join(dir, d));
  mkdirSync(path.join(dir, 'dist'));
  writeFileSync(path.join(dir, 'dist', 'index.html'), '<!doctype html><title>agentcore-console</title>');
  writeFileSync(path.join(dir, 'dist', 'app-1a2b.wasm'), 'wasm');
  const bin = path.join(dir, 'bin');
  mkdirSync(bin);
  const log = path.join(dir, 'calls.jsonl');
  const stub = (name, body = '') => {
    writeFileSync(path.join(bin, name), `#!/usr/bin/env node
const args = process.argv.slice(2);
require('fs').appendFileSync(${JSON.stringify(log)}, JSON.stringify([${JSON.stringify(name)}, ...args]) + '\\n');
${body}
`);
    chmodSync(path.join(bin, name), 0o755);
  };
  // describe-stacks --output text for ConsoleConfig prints the template's output for the deployed Region
  const template = read('deploy/cloudfront.yaml');
  const consoleConfig = template.match(/ConsoleConfig:[\s\S]*?Value: !Sub '([^']*)'/)[1];
  stub('aws', `
if (args[0] === 'cloudformation' && args[1] === 'describe-stacks' && args.includes('text')) {
  process.stdout.write(${JSON.stringify(consoleConfig)}.replace('\${Region}', 'eu-west-1') + '\\n');
}`);
  stub('make');
  const calls = () => (existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l)) : []);
  const env = { ...process.env, PATH: `${bin}:${process.env.PATH}`, DIST: path.join(dir, 'dist') };
  const run = (script) => spawnSync('bash', ['-euo', 'pipefail', '-c', script], { cwd: dir, env, encoding: 'utf8' });
  return { dir, calls, env, run, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

test('every sh block of docs/deploy.md parses', () => {
  assert.ok(sh().length >= 5);
  for (const { text } of sh()) {
    const r = spawnSync('bash', ['-n', '-c', text], { encoding: 'utf8' });
    assert.equal(r.status, 0, `${text}\n${r.stderr}`);
  }
});

test('the build and upload commands run as shown (make build; publish-s3.sh)', () => {
  const box = sandbox();
  try {
    for (const text of [sh().find((b) => b.text.trim() === 'make build').text, blockWith('deploy/publish-s3.sh my-console-bucket')]) {
      const r = box.run(text);
      assert.equal(r.status, 0, r.stderr);
    }
    const calls = box.calls();
    assert.deepEqual(calls[0], ['make', 'build']);
    assert.ok(calls.some((c) => c.includes('s3://my-console-bucket/index.html')));
    assert.ok(calls.some((c) => c.includes('s3://my-console-bucket/tools/console/index.html')));
  } finally {
    box.cleanup();
  }
});

test('the CloudFormation worked example runs in order and writes the console-config.json the doc shows', () => {
  const box = sandbox();
  try {
    const r = box.run(blockWith('aws cloudformation deploy'));
    assert.equal(r.status, 0, r.stderr);
    const calls = box.calls();
    const kinds = calls.map((c) => c.slice(0, 3).join(' '));
    const deploy = calls.findIndex((c) => c[1] === 'cloudformation' && c[2] === 'deploy');
    const build = kinds.indexOf('make build');
    const index = calls.findIndex((c) => c[2] === 'cp' && c.includes('s3://BUCKET/index.html'));
    const config = calls.findIndex((c) => c[2] === 'cp' && c.includes('s3://BUCKET/console-config.json'));
    assert.ok(deploy === 0 && build > deploy && index > build && config > index, JSON.stringify(kinds));
    const args = calls[deploy];
    assert.ok(existsSync(path.join(ROOT, args[args.indexOf('--template-file') + 1])));
    assert.equal(args[args.indexOf('--parameter-overrides') + 1], 'Region=eu-west-1');
    const written = readFileSync(path.join(box.dir, 'console-config.json'), 'utf8').trim();
    const shown = blocks().filter((b) => b.lang === 'json').map((b) => b.text.trim());
    assert.deepEqual(shown, [written]);
    assert.deepEqual(JSON.parse(written), { region: 'eu-west-1', sendVia: 'relay', relayUrl: '/aws/{host}', lock: ['sendVia', 'relayUrl'] });
    const cfg = calls[config];
    assert.equal(cfg[cfg.indexOf('--content-type') + 1], 'application/json');
  } finally {
    box.cleanup();
  }
});

test('the generator command is the one the relay-hosts step checks', () => {
  const text = blockWith('scripts/gen-relay-hosts.py').trim();
  assert.equal(text, '.venv/bin/python scripts/gen-relay-hosts.py');
  const python = path.join(ROOT, '.venv', 'bin', 'python');
  if (!existsSync(python)) return; // scripts/test.sh's relay-hosts step runs it
  const r = spawnSync(python, ['scripts/gen-relay-hosts.py', '--check'], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
});

test('the credentials one-liner prints the aws sts format', () => {
  const box = sandbox();
  try {
    mkdirSync(path.join(box.dir, '.run'));
    const credentials = { accessKeyId: 'ASIAEXAMPLE', secretAccessKey: 'secret', sessionToken: 'token', expiration: '2026-12-05T10:00:00Z' };
    writeFileSync(path.join(box.dir, '.run', 'dev-defaults.json'), JSON.stringify({ credentials }));
    const r = box.run(blockWith('dev-defaults.json'));
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), { Credentials: { AccessKeyId: 'ASIAEXAMPLE', SecretAccessKey: 'secret', SessionToken: 'token', Expiration: '2026-12-05T10:00:00Z' } });
  } finally {
    box.cleanup();
  }
});

const freePort = () => new Promise((resolve, reject) => {
  const s = net.createServer();
  s.once('error', reject);
  s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
});

/** The doc's header lines: { name: value } from its plain ``` blocks. */
function docHeaders() {
  const out = {};
  for (const b of blocks().filter((x) => x.lang === '')) {
    for (const line of b.text.split('\n').filter(Boolean)) {
      const m = line.match(/^([A-Za-z-]+): (.+)$/);
      assert.ok(m, `a header line: ${line}`);
      (out[m[1]] ??= []).push(m[2]);
    }
  }
  return out;
}

test('the headers shown are the ones the recipes send', () => {
  const headers = docHeaders();
  const [direct, relay] = headers['Content-Security-Policy'];
  assert.match(direct, /connect-src 'self' https:/, 'direct mode: the loader fetches the .wasm from this origin');
  assert.match(relay, /connect-src 'self';/);
  assert.ok(read('deploy/nginx.conf').includes(`add_header Content-Security-Policy "${relay}" always;`));
  assert.ok(read('deploy/cloudfront.yaml').includes(`ContentSecurityPolicy: "${relay}"`));
});

test('the local walk-through: nginx as the doc configures it serves the console and relays {host} to the upstream', { skip: !existsSync(NGINX) && `${NGINX} missing` }, async (t) => {
  const box = sandbox();
  const seen = [];
  const upstream = http.createServer((req, res) => {
    seen.push({ host: req.headers.host, url: req.url, cookie: req.headers.cookie ?? null });
    res.setHeader('content-type', 'application/json');
    res.end('{"agentRuntimes":[]}');
  });
  await new Promise((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  const relayDir = path.join(box.dir, 'relay');
  const port = await freePort();
  const script = blockWith('nginx -p /tmp/relay')
    .replaceAll('/tmp/relay', relayDir)
    .replaceAll('127.0.0.1:8081', `127.0.0.1:${port}`)
    .replaceAll('127.0.0.1:4566', `127.0.0.1:${upstream.address().port}`);
  const child = spawn('bash', ['-euo', 'pipefail', '-c', script], { cwd: box.dir, env: box.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (c) => { output += c; });
  child.stderr.on('data', (c) => { output += c; });
  let exited = false;
  child.on('exit', () => { exited = true; });
  t.after(async () => {
    try { process.kill(Number(readFileSync(path.join(relayDir, 'nginx.pid'), 'utf8')), 'SIGQUIT'); } catch { /* not started */ }
    for (let i = 0; i < 50 && !exited; i++) await new Promise((r) => setTimeout(r, 100));
    upstream.close();
    box.cleanup();
  });
  const origin = `http://127.0.0.1:${port}`;
  let page;
  for (let i = 0; i < 100; i++) {
    assert.ok(!exited, output);
    try { page = await fetch(`${origin}/tools/console/`); break; } catch { await new Promise((r) => setTimeout(r, 100)); }
  }
  assert.equal(page?.status, 200, output);
  const headers = docHeaders();
  assert.equal(page.headers.get('content-security-policy'), headers['Content-Security-Policy'][1]);
  for (const name of ['Referrer-Policy', 'X-Content-Type-Options', 'Strict-Transport-Security']) {
    assert.equal(page.headers.get(name), headers[name][0], name);
  }
  assert.equal(page.headers.get('cache-control'), 'no-cache');

  const host = 'bedrock-agentcore-control.eu-west-1.amazonaws.com';
  const relayed = await fetch(`${origin}/aws/${host}/runtimes/?maxResults=5`, { method: 'POST', body: '{}', headers: { cookie: 'session=1' } });
  assert.equal(relayed.status, 200);
  assert.deepEqual(seen, [{ host, url: '/runtimes/?maxResults=5', cookie: null }]);
  const refused = await fetch(`${origin}/aws/evil.example.com/runtimes/`, { method: 'POST', body: '{}' });
  assert.equal(refused.status, 403);
  assert.deepEqual(await refused.json(), { message: 'This relay does not forward to evil.example.com' });
  assert.equal(seen.length, 1);
  assert.deepEqual(box.calls()[0], ['make', 'build']);
});
