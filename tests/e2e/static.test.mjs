// The release build (dist/): boots under a sub-path with the strict CSP, and
// ships no credentials, endpoints or development defaults.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { DIST, APP_PREFIX, startEmulator, launchBrowser, openPage } from './harness.mjs';

let emu;
let browser;

before(async () => {
  emu = await startEmulator({ staticDir: DIST, prefix: APP_PREFIX, csp: true, seed: false });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await emu?.stop();
});

test('release build boots under /tools/console/ with the CSP and no errors', async () => {
  assert.ok(emu.appUrl.endsWith(APP_PREFIX), emu.appUrl);
  const res = await fetch(emu.appUrl);
  const csp = res.headers.get('content-security-policy') || '';
  assert.match(csp, /script-src 'self' 'wasm-unsafe-eval'/);
  assert.doesNotMatch(csp, /unsafe-inline/);
  const html = await res.text();
  assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)[^>]*>\s*\S/i, 'index.html must have no inline script');
  assert.doesNotMatch(html, /(?:href|src)="?\//i, 'asset URLs must be relative (sub-path deploys)');

  const app = await openPage(browser, emu.appUrl, { waitFor: 'h1' });
  try {
    const h1 = (await app.page.textContent('h1')) || '';
    assert.ok(h1.trim().length > 0, 'the app renders a non-empty h1');
    // let any late errors (after the first render) surface
    await app.page.waitForTimeout(300);
    assert.deepEqual(app.errors(), []);
  } finally {
    await app.close();
  }
});

test('the sub-path without its trailing slash redirects to the app', async () => {
  const bare = emu.appUrl.replace(/\/$/, '');
  const app = await openPage(browser, bare, { waitFor: 'h1' });
  try {
    assert.ok(app.page.url().endsWith(APP_PREFIX), app.page.url());
    assert.deepEqual(app.errors(), []);
  } finally {
    await app.close();
  }
});

// ---------------------------------------------------------------------------
// No secrets or development defaults in the shipped files.

function distFiles(dir = DIST) {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    return statSync(p).isDirectory() ? distFiles(p) : [p];
  });
}

function entropy(s) {
  const counts = new Map();
  for (const ch of s) counts.set(ch, (counts.get(ch) || 0) + 1);
  let h = 0;
  for (const n of counts.values()) h -= (n / s.length) * Math.log2(n / s.length);
  return h;
}

// share of characters in runs of 4+ lowercase letters: about 0.0-0.4 for random
// base64 (keys, tokens), 0.6-1.0 for the concatenated string literals of a .wasm
function wordiness(s) {
  return (s.match(/[a-z]{4,}/g) || []).join('').length / s.length;
}

const FORBIDDEN = [
  [/\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/, 'an AWS access key id'],
  [/wJalrXUtnFEMI|EXAMPLEKEY/, 'the fixed test secret key'],
  [/(?:127\.0\.0\.1|localhost|\[::1\]|0\.0\.0\.0):\d+/i, 'a loopback endpoint with a port'],
  [/:4566\b/, 'the emulator port'],
  [/dev[-_]?defaults/i, 'development defaults'],
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----/, 'a private key'],
];

test('dist/ ships no credentials, endpoint defaults or dev-defaults', () => {
  const files = distFiles().filter((f) => /\.(js|mjs|wasm|html|css|json|map|txt)$/.test(f));
  assert.ok(files.some((f) => f.endsWith('.wasm')), 'dist/ has a .wasm');
  const problems = [];
  for (const file of files) {
    // latin1 keeps every byte, so strings inside the .wasm are searchable too
    const text = readFileSync(file).toString('latin1');
    const rel = path.relative(DIST, file);
    for (const [re, what] of FORBIDDEN) {
      const m = text.match(re);
      if (m) problems.push(`${rel}: ${what}: ${JSON.stringify(m[0])}`);
    }
    // secret-access-key shaped: 40 base64 characters, mixed, high entropy
    for (const m of text.matchAll(/(?<![A-Za-z0-9/+=])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])/g)) {
      const s = m[0];
      const before = text.slice(Math.max(0, m.index - 8), m.index);
      if (/sha(?:256|384|512)-$/.test(before)) continue; // SRI hashes
      if (/[a-z]/.test(s) && /[A-Z]/.test(s) && /[0-9]/.test(s) && entropy(s) >= 4.0 && wordiness(s) < 0.5) {
        problems.push(`${rel}: secret-looking string ${JSON.stringify(s)}`);
      }
    }
    // session-token shaped: very long base64 runs (SRI hashes are 64)
    for (const m of text.matchAll(/[A-Za-z0-9/+]{100,}={0,2}/g)) {
      if (entropy(m[0]) >= 4.5 && wordiness(m[0]) < 0.3) problems.push(`${rel}: token-looking string ${JSON.stringify(m[0].slice(0, 24))}...`);
    }
  }
  assert.deepEqual(problems, []);
});
