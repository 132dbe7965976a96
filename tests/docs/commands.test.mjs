// The commands README.md and docs/*.md show exist as written: every `make X`
// names a Makefile target, every `scripts/test.sh STEP` a step of that script,
// every `node --test FILE` and `node SCRIPT` a file, every `cargo test --test
// NAME` a tests/NAME.rs, every `cargo test --lib a::b` a module, and every
// repository path shown (`scripts/…`, `deploy/…`, …) a file or folder.
//
//   node --test tests/docs/            (scripts/test.sh docs)

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { ROOT, docFiles, read, commands } from './markdown.mjs';

/** What the repository offers, read from its files now. */
export function repository() {
  const makefile = read('Makefile');
  const testSh = read('scripts/test.sh');
  return {
    makeTargets: new Set([...makefile.matchAll(/^([\w.-]+)\s*:(?!=)/gm)].map((m) => m[1])),
    steps: new Set([...testSh.matchAll(/^step ([\w-]+) /gm)].map((m) => m[1])),
    exists: (p) => existsSync(path.join(ROOT, p)),
  };
}

// repository folders a path shown in the docs may start with
const TOP = ['scripts', 'tests', 'deploy', 'emulator', 'docs', 'src', 'model', 'style', 'build', '.ci', '.cargo'];
/** A word that stands for something (`STEP...`, `<path>`, `$X`, `*`, `{a,b}`, `…`), not a name. */
const placeholder = (word) => /[<>*{}$…]|\.\.\.|^[A-Z][A-Z_]*$/.test(word);

/** The arguments of the command that starts at `at` in `line`, up to `;`, `&&`, `|`, `>` or `)`. */
function argsAfter(line, at) {
  return line
    .slice(at)
    .split(/\s*(?:;|&&|\|\||\||>|\))\s*/)[0]
    .split(/\s+/)
    .filter(Boolean)
    .map((w) => w.replace(/^["']|["',]$/g, ''));
}

/** The problems with one document's commands: strings naming what does not exist. */
export function problems(markdown, repo) {
  const found = [];
  for (const line of commands(markdown)) {
    for (const m of line.matchAll(/(?:^|[\s(])make((?:\s+[\w.-]+)+)/g)) {
      const targets = m[1].trim().split(/\s+/);
      for (const t of targets) {
        if (!placeholder(t) && !t.startsWith('-') && !repo.makeTargets.has(t)) found.push(`make ${t}: no such Makefile target`);
      }
    }
    for (const m of line.matchAll(/scripts\/test\.sh\b/g)) {
      for (const s of argsAfter(line, m.index + m[0].length)) {
        if (placeholder(s) || s.startsWith('-')) continue;
        if (!repo.steps.has(s)) found.push(`scripts/test.sh ${s}: no such step`);
      }
    }
    for (const m of line.matchAll(/(?:^|\s)node\s+/g)) {
      const args = argsAfter(line, m.index + m[0].length);
      const test = args.includes('--test');
      const files = args.filter((a) => !a.startsWith('-') && !a.includes('='));
      // `node --test F…` runs every file given; `node SCRIPT args` runs SCRIPT
      for (const f of test ? files : files.slice(0, 1)) {
        if (!placeholder(f) && !repo.exists(f)) found.push(`node ${test ? '--test ' : ''}${f}: no such file`);
      }
    }
    for (const m of line.matchAll(/--test\s+([\w-]+)/g)) {
      if (!/\bcargo\b/.test(line) || placeholder(m[1])) continue;
      if (!repo.exists(`tests/${m[1]}.rs`)) found.push(`cargo test --test ${m[1]}: no tests/${m[1]}.rs`);
    }
    for (const m of line.matchAll(/\bcargo test\b.*?--lib\s+([\w:]+)/g)) {
      const parts = m[1].split('::');
      const base = path.join('src', ...parts);
      if (!placeholder(m[1]) && !repo.exists(`${base}.rs`) && !repo.exists(base)) {
        found.push(`cargo test --lib ${m[1]}: no module src/${parts.join('/')}(.rs)`);
      }
    }
    for (const word of line.split(/[\s=()'"`,;:]+/)) {
      const p = word.replace(/^\.\//, '').replace(/[.,]+$/, '');
      if (!TOP.some((t) => p.startsWith(`${t}/`)) || placeholder(p)) continue;
      if (!repo.exists(p)) found.push(`${p}: no such file or folder`);
    }
  }
  return [...new Set(found)];
}

const repo = repository();

test('the repository is read: targets and steps', () => {
  for (const t of ['run', 'test', 'build']) assert.ok(repo.makeTargets.has(t), t);
  for (const s of ['host-test', 'build', 'e2e', 'docs']) assert.ok(repo.steps.has(s), s);
});

test('a command that does not exist is caught', () => {
  const doc = [
    '`make runn` and `scripts/test.sh host-test e3e`',
    '```sh',
    'node --test tests/e2e/nosuch.test.mjs   # comment',
    'cargo test --test sigv4_botocor',
    'cargo test --lib core::nosuch',
    'node scripts/nosuch.mjs --flag',
    'bash deploy/nosuch.sh \\',
    '  --flag',
    '```',
  ].join('\n');
  assert.deepEqual(problems(doc, repo).sort(), [
    'cargo test --lib core::nosuch: no module src/core/nosuch(.rs)',
    'cargo test --test sigv4_botocor: no tests/sigv4_botocor.rs',
    'deploy/nosuch.sh: no such file or folder',
    'make runn: no such Makefile target',
    'node --test tests/e2e/nosuch.test.mjs: no such file',
    'node scripts/nosuch.mjs: no such file',
    'scripts/nosuch.mjs: no such file or folder',
    'scripts/test.sh e3e: no such step',
    'tests/e2e/nosuch.test.mjs: no such file or folder',
  ]);
  assert.deepEqual(problems('`make run`, `scripts/test.sh STEP...`, `cargo test --test NAME`, `src/core/<module>.rs`', repo), []);
});

for (const file of docFiles()) {
  test(`the commands ${file} shows exist as written`, () => {
    assert.deepEqual(problems(read(file), repo), [], file);
  });
}
