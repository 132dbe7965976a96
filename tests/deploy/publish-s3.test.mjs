// deploy/publish-s3.sh with a stub `aws` on PATH that records its calls:
// the hashed files go up first, then index.html, and only then is anything
// deleted, so no page is ever served whose files are missing.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync, readFileSync, chmodSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const SCRIPT = path.join(ROOT, 'deploy', 'publish-s3.sh');

/** Runs the script with a stub aws; returns { status, stderr, calls: [argv, ...] }. */
function publish(args, { dist = true } = {}) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'publish-s3-'));
  try {
    const bin = path.join(dir, 'bin');
    mkdirSync(bin);
    const log = path.join(dir, 'calls.jsonl');
    writeFileSync(path.join(bin, 'aws'), `#!/usr/bin/env node
require('fs').appendFileSync(${JSON.stringify(log)}, JSON.stringify(process.argv.slice(2)) + '\\n');
`);
    chmodSync(path.join(bin, 'aws'), 0o755);
    const out = path.join(dir, 'dist');
    mkdirSync(out);
    if (dist) for (const f of ['index.html', 'boot-1a2b.js', 'app-3c4d.js', 'app-5e6f.wasm', 'style-7a8b.css']) writeFileSync(path.join(out, f), f);
    const r = spawnSync(SCRIPT, args, { env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, DIST: out }, encoding: 'utf8' });
    let calls = [];
    try { calls = readFileSync(log, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l)); } catch { /* none */ }
    return { status: r.status, stderr: r.stderr, calls, out };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const touchesIndex = (call) => call.some((a) => a.endsWith('index.html')) && !call.includes('--exclude');

test('hashed files first, then index.html, then the deletions', () => {
  const { status, stderr, calls, out } = publish(['my-bucket', 'tools/console/']);
  assert.equal(status, 0, stderr);
  const index = calls.findIndex((c) => c[0] === 's3' && c[1] === 'cp' && touchesIndex(c));
  const firstDelete = calls.findIndex((c) => c.includes('--delete'));
  assert.ok(index > 0, JSON.stringify(calls));
  assert.ok(firstDelete > index, 'nothing is deleted before index.html is up');
  assert.equal(calls.filter((c) => c.includes('--delete')).length, 1);
  // before index.html: uploads that leave index.html out
  for (const c of calls.slice(0, index)) {
    assert.deepEqual(c.slice(0, 2), ['s3', 'sync']);
    assert.ok(!c.includes('--delete'));
    assert.ok(c.includes('index.html') ? c[c.indexOf('index.html') - 1] === '--exclude' : c.includes('--include'), JSON.stringify(c));
  }
  // every call writes under the prefix; the wasm with its type; index.html not cached
  for (const c of calls) assert.ok(c.some((a) => a.startsWith('s3://my-bucket/tools/console/')), JSON.stringify(c));
  assert.ok(calls.slice(0, index).some((c) => c.includes('application/wasm') && c.includes('*.wasm')));
  assert.equal(calls[index][calls[index].indexOf('--cache-control') + 1], 'no-cache');
  assert.equal(calls[index][2], path.join(out, 'index.html'));
  // the deleting sync never touches index.html or console-config.json
  const del = calls[firstDelete];
  for (const kept of ['index.html', 'console-config.json']) assert.equal(del[del.indexOf(kept) - 1], '--exclude');
});

test('the bucket root works, and bad usage or a missing build calls nothing', () => {
  const root = publish(['my-bucket']);
  assert.equal(root.status, 0, root.stderr);
  assert.ok(root.calls.every((c) => c.some((a) => a === 's3://my-bucket/' || a === 's3://my-bucket/index.html')), JSON.stringify(root.calls));
  const none = publish([]);
  assert.equal(none.status, 2);
  assert.deepEqual(none.calls, []);
  const missing = publish(['my-bucket'], { dist: false });
  assert.equal(missing.status, 1);
  assert.match(missing.stderr, /make build/);
  assert.deepEqual(missing.calls, []);
  execFileSync('bash', ['-n', SCRIPT]);
});
