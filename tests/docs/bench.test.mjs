// The bench-browser commands the docs show take the arguments they show: each
// runs here with --check-args (the arguments parsed, nothing measured), and an
// unknown argument is refused.
//
//   node --test tests/docs/bench.test.mjs

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ROOT, docFiles, read, commands } from './markdown.mjs';

const SCRIPT = 'scripts/bench-browser.mjs';
const run = (args) => spawnSync(process.execPath, [path.join(ROOT, SCRIPT), ...args, '--check-args'], { cwd: ROOT, encoding: 'utf8' });

test('every bench-browser command in the docs parses', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-docs-'));
  writeFileSync(path.join(dir, 'index.html'), '<!doctype html>\n');
  const shown = docFiles().flatMap((f) => commands(read(f)))
    .filter((c) => c.startsWith(`node ${SCRIPT}`));
  assert.ok(shown.length >= 3, `docs show ${shown.length} bench-browser commands`);
  for (const c of shown) {
    const args = c.slice(`node ${SCRIPT}`.length).split(/\s+/).filter(Boolean).map((a) => (a === 'DIR' ? dir : a));
    const r = run(args);
    assert.equal(r.status, 0, `${c}: ${r.stderr}`);
  }
});

test('profiles and unknown arguments', () => {
  assert.deepEqual(JSON.parse(run([]).stdout).profiles, ['local', 'throttled']);
  assert.deepEqual(JSON.parse(run(['--profile', 'throttled']).stdout).profiles, ['throttled']);
  assert.equal(JSON.parse(run([]).stdout).runs, 15);
  for (const bad of [['--profile', 'fast'], ['--runs', '0'], ['--nosuch']]) {
    const r = run(bad);
    assert.equal(r.status, 2, bad.join(' '));
    assert.match(r.stderr, /bench-browser: /);
  }
});
