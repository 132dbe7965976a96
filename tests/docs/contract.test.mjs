// Every contract name the end-to-end tests rely on is documented in
// docs/contract.md: the `data-testid`s they look for, the `data-*` attributes
// they read or select on, and the `name`s of the controls they fill.
//
//   node --test tests/docs/            (scripts/test.sh docs)
//
// A control named by a member path (`roleArn`, `environmentVariables.0.key`)
// is covered by the contract's first rule ("every form control's `name` is its
// member path"); the test walks such a path through the service model instead.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const E2E = path.join(ROOT, 'tests', 'e2e');
/** Stands for a `${…}` the scan could not resolve: matches any text. */
const ANY = '\u0000';

/** The words the contract defines: its code spans, and the parts of `attr="value"` spans. */
export function contractWords(markdown) {
  const words = new Set();
  const patterns = [];
  for (const [, span] of markdown.matchAll(/`([^`\n]+)`/g)) {
    words.add(span);
    const attr = span.match(/^([A-Za-z][\w-]*)=["']?([^"']*)["']?$/);
    if (attr) {
      words.add(attr[1]);
      words.add(attr[2]);
    }
    // `endpointVersion.<endpointName>`, `<path>.paste`: a placeholder stands for any text
    if (/<[^>]+>/.test(span)) {
      const source = span
        .split(/<[^>]+>/)
        .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
        .join('.+');
      patterns.push(new RegExp(`^${source}$`));
    }
  }
  return { words, patterns };
}

/** Whether `name` (possibly holding ANY) is a word of the contract. */
export function documented(name, { words, patterns }) {
  if (!name.includes(ANY)) return words.has(name) || patterns.some((p) => p.test(name));
  const shape = new RegExp(`^${name.split(ANY).map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.+')}$`);
  return [...words].some((w) => shape.test(w)) || patterns.some((p) => p.test(name.replaceAll(ANY, 'x')));
}

/** `${IDENT}` resolved from `const IDENT = 'literal'` in the same file; anything else is ANY. */
function resolver(source) {
  const consts = new Map();
  for (const [, id, value] of source.matchAll(/\bconst (\w+) = ['"]([^'"\n]*)['"];/g)) consts.set(id, value);
  return (text) => text.replace(/\$\{([^}]*)\}/g, (_, expr) => consts.get(expr.trim()) ?? ANY);
}

/**
 * The contract names one e2e file uses: { testids, attributes, controls }, each
 * a Set of names (a name may hold ANY where a template could not be resolved).
 */
export function namesUsed(source) {
  const resolve = resolver(source);
  const testids = new Set();
  const attributes = new Set();
  const controls = new Set();
  const value = String.raw`["']?((?:[\w.<>-]|\$\{[^}]*\})+)`;

  for (const [, v] of source.matchAll(new RegExp(String.raw`data-testid=${value}`, 'g'))) testids.add(resolve(v));
  for (const [, v] of source.matchAll(/getByTestId\(\s*[`'"]([^`'"]+)[`'"]/g)) testids.add(resolve(v));
  // helpers that take the test id as a parameter: `const text = async (page, testid) => … data-testid=${testid} …`
  for (const [, fn, params, param] of source.matchAll(
    /\bconst (\w+) = (?:async )?\(([^)]*)\) =>[^\n]*data-testid=\$\{(\w+)\}/g,
  )) {
    const at = params.split(',').map((p) => p.trim()).indexOf(param);
    for (const [, args] of source.matchAll(new RegExp(String.raw`\b${fn}\(([^()]*)\)`, 'g'))) {
      const arg = args.split(',')[at]?.trim().match(/^['"]([^'"]+)['"]$/);
      if (arg) testids.add(arg[1]);
    }
  }
  for (const [, attr] of source.matchAll(/\b(data-[a-z][a-z0-9-]*)/g)) attributes.add(attr);
  for (const [, prop] of source.matchAll(/\.dataset\.([A-Za-z]\w*)/g)) {
    attributes.add(`data-${prop.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`);
  }
  for (const [, v] of source.matchAll(new RegExp(String.raw`\[name=${value}`, 'g'))) controls.add(resolve(v));
  for (const [, v] of source.matchAll(new RegExp(String.raw`(?<![\w-])name="((?:[\w.<>-]|\$\{[^}]*\})+)"`, 'g'))) {
    controls.add(resolve(v));
  }
  testids.delete(ANY);
  controls.delete(ANY);
  return { testids, attributes, controls };
}

/**
 * Whether `name` is a member path of `shapeName`'s form (dotted members, list
 * items and map entries by index, then `key`/`value`), ANY matching any segment.
 */
export function isMemberPath(name, model, shapeName) {
  const walk = (shape, segments) => {
    if (segments.length === 0) return true;
    const [first, ...rest] = segments;
    const s = model.shapes[shape];
    if (!s) return false;
    if (s.type === 'structure' || s.type === 'union') {
      if (first === ANY) return Object.values(s.members).some((m) => walk(m.shape, rest));
      return first in s.members && walk(s.members[first].shape, rest);
    }
    if (s.type === 'list') return (first === ANY || /^\d+$/.test(first)) && walk(s.member.shape, rest);
    if (s.type === 'map') {
      if (!(first === ANY || /^\d+$/.test(first))) return false;
      if (rest.length === 0) return true;
      const [part, ...after] = rest;
      if (part === ANY) return walk(s.key.shape, after) || walk(s.value.shape, after);
      return (part === 'key' && walk(s.key.shape, after)) || (part === 'value' && walk(s.value.shape, after));
    }
    return false;
  };
  return walk(shapeName, name.split('.'));
}

const contract = readFileSync(path.join(ROOT, 'docs', 'contract.md'), 'utf8');
const model = JSON.parse(readFileSync(path.join(ROOT, 'model', 'bedrock-agentcore-control.json'), 'utf8'));
const formShape = model.operations.UpdateAgentRuntime.input.shape;
const files = readdirSync(E2E).filter((f) => f.endsWith('.mjs')).sort();

test('the scan finds what the e2e tests use', () => {
  const used = files.map((f) => namesUsed(readFileSync(path.join(E2E, f), 'utf8')));
  const all = (key) => new Set(used.flatMap((u) => [...u[key]]));
  // a few names every suite of these tests has used since the start: if they
  // vanish, the scan broke, not the contract
  for (const id of ['result', 'confirm-send', 'diff', 'resolved-endpoint']) assert.ok(all('testids').has(id), id);
  for (const attr of ['data-outcome', 'data-path', 'data-change']) assert.ok(all('attributes').has(attr), attr);
  for (const name of ['roleArn', 'runtimePicker', 'credentialsPaste']) assert.ok(all('controls').has(name), name);
});

for (const file of files) {
  test(`docs/contract.md names every contract name tests/e2e/${file} uses`, () => {
    const { testids, attributes, controls } = namesUsed(readFileSync(path.join(E2E, file), 'utf8'));
    const words = contractWords(contract);
    const show = (n) => n.replaceAll(ANY, '${…}');
    const missing = [
      ...[...testids].filter((n) => !documented(n, words)).map((n) => `data-testid="${show(n)}"`),
      ...[...attributes].filter((n) => !documented(n, words)),
      ...[...controls]
        .filter((n) => !isMemberPath(n, model, formShape) && !documented(n, words))
        .map((n) => `control name "${show(n)}"`),
    ];
    assert.deepEqual(missing, [], `missing from docs/contract.md: ${missing.join(', ')}`);
  });
}

test('a member path is checked against the model, not taken on trust', () => {
  assert.ok(isMemberPath('roleArn', model, formShape));
  assert.ok(isMemberPath('environmentVariables.0.key', model, formShape));
  assert.ok(isMemberPath('agentRuntimeArtifact.containerConfiguration.containerUri', model, formShape));
  assert.ok(isMemberPath(`environmentVariables.${ANY}.value`, model, formShape));
  assert.ok(!isMemberPath('runtimePicker', model, formShape));
  assert.ok(!isMemberPath('environmentVariables.0.name', model, formShape));
  assert.ok(!isMemberPath('roleArn.x', model, formShape));
});

test('the contract words: code spans, attribute spans, placeholders', () => {
  const words = contractWords('`data-testid="result"` with `data-cleared="N"`; a select `endpointVersion.<endpointName>`');
  assert.ok(documented('result', words));
  assert.ok(documented('data-cleared', words));
  assert.ok(documented('endpointVersion.prod', words));
  assert.ok(documented(`endpointVersion.${ANY}`, words));
  assert.ok(!documented('endpointDescription.prod', words));
  assert.ok(!documented('resul', words));
});
