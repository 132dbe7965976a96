#!/usr/bin/env node
// Browser benchmark of the release build (a report, not a test: it never
// fails on timing; it exits non-zero only when it cannot measure).
//
//   node scripts/bench-browser.mjs [--profile local|throttled|both] [--runs N]
//                                  [--no-reference] [--no-floor] [--no-sign] [--no-brotli]
//                                  [--baseline DIR] [--check-args]
//
// --profile picks the network/CPU conditions of the start-up measurement
// (default both, in this order):
//   local      localhost, no throttling;
//   throttled  through the DevTools protocol, per page before navigation:
//              Network.emulateNetworkConditions 10 Mbit/s down, 5 Mbit/s up,
//              40 ms latency, and Emulation.setCPUThrottlingRate rate 2.
// --runs N   loads per page and profile (default 15).
// --baseline DIR also measures another release build (e.g. a copy of dist/
// from before a change) in the same run, its page loads interleaved with
// dist/'s, so a before/after comparison sees the same machine load.
// --no-reference / --no-floor leave out the reference page / the size floor;
// --no-sign the signing benchmark; --no-brotli serves the pages uncompressed.
// --check-args checks the arguments, prints what they select and exits.
//
// Needs dist/ (`trunk build --release`) and the tools of scripts/setup.sh on
// PATH (`source scripts/env.sh`, as scripts/test.sh and `make bench-browser` do).
// Headless Chromium (/usr/bin/chromium via playwright-core) against dist/
// served by the emulator under /tools/console/ with the production CSP, as
// tests/e2e/harness.mjs does. Every page is served the same way, as
// CloudFront serves the deployed console (compressed): the bench copies each
// page into target/bench-browser/served/NAME/ with a FILE.br (brotli quality
// 11) next to each file, and the emulator's static server sends FILE.br with
// Content-Encoding: br to Chromium (it asks for br); --no-brotli serves the
// pages uncompressed instead. The sizes printed first are the bytes on the
// wire (the sum of the .br files, or of the files). Prints:
//
// - load -> interactive, per profile: median of N fresh page loads (a new
//   browser context each: empty cache), the pages' loads alternating
//   (console, reference, floor, baseline, console, ...), from navigation
//   start until the page is interactive, measured in the page:
//   performance.now() at the first DOM mutation after which the send button
//   ("Update agent runtime") is rendered and visible and the request box
//   (textarea[name=requestJson]) exists and is enabled and writable; the
//   floor's: its "Go" button and input[name=x]. Pages:
//   - console: dist/;
//   - reference: the same first screen (credentials paste box and access key
//     fields, region, runtime id, request box, send button calling
//     UpdateAgentRuntime / GetAgentRuntime through the SDK client) written
//     with React 19 and @aws-sdk/client-bedrock-agentcore-control, bundled
//     by esbuild (scripts/reference-page/, built into target/reference-page/
//     when missing or stale); its controls carry the console's names and
//     texts, so the same "interactive" test runs on both;
//   - floor: the size floor (scripts/size-floor, all features, built as
//     bench-size.sh --floor builds it).
//   Then the ratio console/reference of the medians, and the time split of
//   each page (medians of each part over the loads; the parts add up to
//   about the total, not exactly, medians of parts not being parts of the
//   median):
//   - fetch:  navigation start -> responseEnd of the last .js/.wasm resource
//             (Resource Timing): the code is all in;
//   - start:  that -> first render, the first <button> in the DOM: what runs
//             after the last byte (the part of compilation that did not
//             overlap the download, instantiation, the app's start-up);
//   - render: first render -> interactive (as above).
// - per keystroke (no throttling): the form holding 50 environment variables and every
//   union filled (a request generated from the vendored model), 200
//   keystrokes typed into `description`; each measured in the page from the
//   input event (a capturing listener on window, before the app's) to the
//   next animation frame, so validation, diff and render are inside; median
//   and p95. Chromium runs with --disable-frame-rate-limit and
//   --disable-gpu-vsync, so that the next frame comes as soon as the page can
//   draw it: with the default 60 Hz ticks, the figure is mostly the wait for
//   the tick, which depends on where in the frame the keystroke lands (an
//   input with no handlers on the same page then measures about 11 ms p95).
//   The app's own share is also printed: from the input event until its handlers and the effects they
//   start are done (a bubbling listener on window: after the app's
//   listeners, and after the microtasks that run the effects);
// - sign one request: median of 1,000 samples in the browser (each the mean
//   of 10 signings: the page's clock is coarsened to about 0.1 ms), by the
//   ignored wasm-bindgen test tests/browser_bench_sign.rs built in release.

import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync, copyFileSync } from 'node:fs';
import path from 'node:path';
import { brotliCompressSync, constants as zlib } from 'node:zlib';
import { buildReferencePage } from './reference-page/build.mjs';
import { ROOT, DIST, CHROMIUM_ARGS, startEmulator, launchBrowser } from '../tests/e2e/harness.mjs';

const argv = process.argv.slice(2);
const args = new Set(argv);
const FLAGS = ['--no-reference', '--no-floor', '--no-sign', '--no-brotli', '--check-args'];
const VALUED = ['--profile', '--runs', '--baseline'];
for (let i = 0; i < argv.length; i += 1) {
  if (VALUED.includes(argv[i])) i += 1;
  else if (!FLAGS.includes(argv[i])) {
    console.error(`bench-browser: unknown argument ${argv[i]} (see the top of scripts/bench-browser.mjs)`);
    process.exit(2);
  }
}
const baselineAt = argv.indexOf('--baseline');
const baselineDir = baselineAt >= 0 ? path.resolve(argv[baselineAt + 1] ?? '') : null;
if (baselineDir && !existsSync(path.join(baselineDir, 'index.html'))) {
  console.error(`bench-browser: ${baselineDir}/index.html missing`);
  process.exit(2);
}
const option = (name, fallback) => {
  const at = argv.indexOf(name);
  return at >= 0 ? argv[at + 1] : fallback;
};
const profileArg = option('--profile', 'both');
if (!['local', 'throttled', 'both'].includes(profileArg)) {
  console.error(`bench-browser: --profile local|throttled|both, not ${profileArg}`);
  process.exit(2);
}
const RUNS = Number(option('--runs', '15'));
if (!Number.isInteger(RUNS) || RUNS < 1) {
  console.error('bench-browser: --runs takes a whole number >= 1');
  process.exit(2);
}
const PROFILES = {
  local: { label: 'local (localhost, no throttling)' },
  throttled: {
    label: 'throttled (10 Mbit/s down, 5 Mbit/s up, 40 ms latency, CPU 2x slower)',
    network: { offline: false, latency: 40, downloadThroughput: (10e6 / 8), uploadThroughput: (5e6 / 8) },
    cpuRate: 2,
  },
};
const profiles = profileArg === 'both' ? ['local', 'throttled'] : [profileArg];
if (args.has('--check-args')) {
  // the arguments only (tests/docs/bench.test.mjs runs the commands the docs show with it)
  console.log(JSON.stringify({ profiles, runs: RUNS, flags: FLAGS.filter((f) => args.has(f)), baseline: baselineDir }));
  process.exit(0);
}
const KEYSTROKES = 200;
const ENV_VARS = 50;

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};
const ms = (x) => `${x.toFixed(x < 1 ? 3 : 1)} ms`;

// --- a request with every union filled -----------------------------------------
// Structures get every member; a union its first member, or, as a list item,
// one item per member (so every union member appears at least once); maps
// (environmentVariables) get ENV_VARS entries. Leaves get a value of their
// kind that respects min length / min value; patterns are not chased (the
// invalid ones add validation messages: more work per keystroke, not less).
function fullRequest(runtimeId) {
  const model = JSON.parse(readFileSync(path.join(ROOT, 'model', 'bedrock-agentcore-control.json'), 'utf8'));
  const shapes = model.shapes;
  const value = (name, depth, stack) => {
    const s = shapes[name];
    if (stack.includes(name) || depth > 8) return undefined;
    const next = [...stack, name];
    switch (s.type) {
      case 'structure': {
        const members = Object.entries(s.members);
        const chosen = s.union ? members.slice(0, 1) : members;
        const out = {};
        for (const [k, m] of chosen) {
          const v = value(m.shape, depth + 1, next);
          if (v !== undefined) out[k] = v;
        }
        return out;
      }
      case 'list': {
        const item = shapes[s.member.shape];
        if (item.union) {
          return Object.entries(item.members).map(([k, m]) => ({ [k]: value(m.shape, depth + 2, [...next, s.member.shape]) }));
        }
        const v = value(s.member.shape, depth + 1, next);
        return v === undefined ? [] : [v];
      }
      case 'map': {
        const out = {};
        for (let i = 0; i < ENV_VARS; i += 1) out[`VAR_${i}`] = `value ${i}`;
        return out;
      }
      case 'string':
        if (s.enum) return s.enum[0];
        return 'x'.repeat(Math.max(1, s.min ?? 1));
      case 'integer':
      case 'long':
        return Math.max(1, s.min ?? 1);
      case 'boolean':
        return true;
      default:
        return undefined;
    }
  };
  const input = model.operations.UpdateAgentRuntime.input.shape;
  const request = value(input, 0, []);
  request.agentRuntimeId = runtimeId;
  request.description = 'start';
  delete request.clientToken;
  return request;
}

// --- the floor page --------------------------------------------------------------
function floorDir() {
  const dir = path.join(ROOT, 'target', 'bench-browser', 'floor');
  const wasm = path.join(ROOT, 'target', 'size-floor', 'wasm32-unknown-unknown', 'release', 'size-floor.wasm');
  mkdirSync(dir, { recursive: true });
  copyFileSync(path.join(ROOT, 'Cargo.lock'), path.join(ROOT, 'scripts', 'size-floor', 'Cargo.lock'));
  execFileSync('cargo', ['build', '--offline', '--quiet', '--release', '--target', 'wasm32-unknown-unknown', '--features', 'sign json'], {
    cwd: path.join(ROOT, 'scripts', 'size-floor'),
    env: { ...process.env, CARGO_TARGET_DIR: path.join(ROOT, 'target', 'size-floor') },
    stdio: 'inherit',
  });
  execFileSync('wasm-bindgen', ['--target', 'web', '--no-typescript', '--out-dir', dir, '--out-name', 'floor', wasm], { stdio: 'inherit' });
  execFileSync('wasm-opt', ['-Oz', path.join(dir, 'floor_bg.wasm'), '-o', path.join(dir, 'floor_bg.wasm')], { stdio: 'inherit' });
  writeFileSync(path.join(dir, 'boot.js'), "import init from './floor.js';\ninit({ module_or_path: './floor_bg.wasm' });\n");
  writeFileSync(path.join(dir, 'index.html'),
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>floor</title>' +
    '<link rel="icon" href="data:,"><script type="module" src="./boot.js"></script></head><body></body></html>\n');
  return dir;
}

// --- measurements ------------------------------------------------------------------
/**
 * One fresh load (a new context: empty cache) of `url` under `profile`;
 * `ready` runs in the page. Returns { total, fetch, start, render } in ms
 * (see the top for the definitions).
 */
async function load(browser, url, ready, profile) {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    if (profile.network || profile.cpuRate) {
      const cdp = await context.newCDPSession(page);
      if (profile.network) {
        await cdp.send('Network.enable');
        await cdp.send('Network.emulateNetworkConditions', profile.network);
      }
      if (profile.cpuRate) await cdp.send('Emulation.setCPUThrottlingRate', { rate: profile.cpuRate });
    }
    await page.addInitScript(`(() => {
      const ready = ${ready};
      const check = () => {
        if (window.__firstRender === undefined && document.querySelector('button')) window.__firstRender = performance.now();
        if (window.__interactive === undefined && ready()) window.__interactive = performance.now();
      };
      new MutationObserver(check).observe(document, { childList: true, subtree: true, attributes: true });
    })()`);
    await page.goto(url, { waitUntil: 'load', timeout: 60_000 });
    await page.waitForFunction(() => window.__interactive !== undefined, null, { timeout: 60_000 });
    const t = await page.evaluate(() => {
      const code = performance.getEntriesByType('resource').filter((r) => /\.(m?js|wasm)$/.test(new URL(r.name).pathname));
      return {
        total: window.__interactive,
        fetchEnd: Math.max(...code.map((r) => r.responseEnd)),
        firstRender: window.__firstRender ?? window.__interactive,
      };
    });
    return { total: t.total, fetch: t.fetchEnd, start: t.firstRender - t.fetchEnd, render: t.total - t.firstRender };
  } finally {
    await context.close();
  }
}

/**
 * A copy of `dir` (files only, as the release builds are flat) to serve as
 * page `name`: with a brotli FILE.br next to each file unless --no-brotli.
 * Returns { dir, wire } (wire: the bytes the page's files take on the wire).
 */
function servedCopy(name, dir) {
  const out = path.join(ROOT, 'target', 'bench-browser', 'served', name);
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  let wire = 0;
  for (const f of readdirSync(dir)) {
    if (f.endsWith('.br') || !statSync(path.join(dir, f)).isFile()) continue;
    const data = readFileSync(path.join(dir, f));
    writeFileSync(path.join(out, f), data);
    if (args.has('--no-brotli')) {
      wire += data.length;
    } else {
      const br = brotliCompressSync(data, { params: { [zlib.BROTLI_PARAM_QUALITY]: 11 } });
      writeFileSync(path.join(out, `${f}.br`), br);
      wire += br.length;
    }
  }
  return { dir: out, wire };
}

const consoleReady = `() => {
  const send = [...document.querySelectorAll('button')].find((b) => b.textContent.trim() === 'Update agent runtime');
  const box = document.querySelector('textarea[name=requestJson]');
  return !!(send && send.offsetParent !== null && box && !box.disabled && !box.readOnly);
}`;
const floorReady = `() => {
  const go = [...document.querySelectorAll('button')].find((b) => b.textContent.trim() === 'Go');
  const box = document.querySelector('input[name=x]');
  return !!(go && box && !box.disabled);
}`;

async function keystrokes(browser, url) {
  const context = await browser.newContext();
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);
  await page.goto(url, { waitUntil: 'load' });
  await page.waitForSelector('textarea[name=requestJson]');
  await page.fill('textarea[name=requestJson]', JSON.stringify(fullRequest('sample_agent-abcdefghij')));
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await page.locator('[data-testid=import-messages]').getByText('Imported into the form.').waitFor();
  const envRows = await page.locator('[name^="environmentVariables."][name$=".key"]').count();
  const unions = await page.evaluate(() => [...document.querySelectorAll('select')].filter((s) => s.value !== '').length);
  await page.evaluate(() => {
    window.__keys = [];
    window.__work = [];
    let start = 0;
    window.addEventListener('input', () => {
      start = performance.now();
      const at = start;
      requestAnimationFrame(() => window.__keys.push(performance.now() - at));
    }, { capture: true });
    window.addEventListener('input', () => window.__work.push(performance.now() - start));
  });
  await page.focus('[name=description]');
  await page.keyboard.press('End');
  for (let i = 0; i < KEYSTROKES; i += 1) {
    await page.keyboard.press(i % 10 === 9 ? 'Space' : 'a');
    await page.waitForFunction((n) => window.__keys.length >= n, i + 1);
  }
  const times = await page.evaluate(() => window.__keys);
  const work = await page.evaluate(() => window.__work);
  const length = (await page.inputValue('[name=description]')).length;
  await context.close();
  return { times, work, envRows, unions, length };
}

function signBench() {
  const out = execFileSync('cargo', ['test', '--release', '--target', 'wasm32-unknown-unknown', '--test', 'browser_bench_sign', '--', '--include-ignored', '--nocapture'], {
    cwd: ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const m = out.match(/BENCH sign-one-request median_ms=([\d.]+) p95_ms=([\d.]+)/);
  if (!m) throw new Error(`no BENCH line in the sign benchmark's output:\n${out}`);
  return { median: Number(m[1]), p95: Number(m[2]) };
}

// --- main ------------------------------------------------------------------------
if (!existsSync(path.join(DIST, 'index.html'))) {
  console.error('bench-browser: dist/index.html missing: run `trunk build --release` first');
  process.exit(2);
}
const floor = args.has('--no-floor') ? null : floorDir();
const reference = args.has('--no-reference') ? null : buildReferencePage();
const served = [
  ['console', DIST, consoleReady],
  ...(reference ? [['reference', reference, consoleReady]] : []),
  ...(floor ? [['floor', floor, floorReady]] : []),
  ...(baselineDir ? [['baseline', baselineDir, consoleReady]] : []),
];
const pages = [];
for (const [name, dir, ready] of served) {
  const copy = servedCopy(name, dir);
  const emu = await startEmulator({ staticDir: copy.dir, seed: name === 'console' });
  pages.push({ name, ready, wire: copy.wire, emu, url: emu.appUrl });
}
const emu = pages[0].emu;
const baseEmu = pages.find((p) => p.name === 'baseline')?.emu;
const hasReference = !!reference;
// frames as soon as the page can draw them, not on 60 Hz ticks (see the top)
const browser = await launchBrowser({ args: [...CHROMIUM_ARGS, '--disable-frame-rate-limit', '--disable-gpu-vsync'] });
try {
  const encoding = args.has('--no-brotli') ? 'uncompressed' : 'brotli';
  for (const p of pages) console.log(`page ${p.name}: ${(p.wire / 1000).toFixed(1)} KB on the wire (${encoding})`);
  for (const name of profiles) {
    const profile = PROFILES[name];
    const began = Date.now();
    // alternate the pages load by load so that all see the same machine load
    const times = new Map(pages.map((p) => [p.name, []]));
    for (let i = 0; i < RUNS; i += 1) {
      for (const p of pages) times.get(p.name).push(await load(browser, p.url, p.ready, profile));
    }
    console.log(`profile ${profile.label}: load -> interactive, ${RUNS} loads per page, alternating`);
    const width = Math.max(...pages.map((p) => p.name.length));
    for (const p of pages) {
      const ts = times.get(p.name);
      const total = ts.map((t) => t.total);
      const part = (k) => ms(median(ts.map((t) => t[k])));
      console.log(`  ${`${p.name}:`.padEnd(width + 1)} median ${ms(median(total))} (min ${ms(Math.min(...total))}, max ${ms(Math.max(...total))}); split: fetch ${part('fetch')}, start ${part('start')}, render ${part('render')}`);
    }
    if (hasReference) {
      const ratio = median(times.get('console').map((t) => t.total)) / median(times.get('reference').map((t) => t.total));
      console.log(`  ratio console/reference: ${ratio.toFixed(2)}x`);
    }
    console.log(`  (${((Date.now() - began) / 1000).toFixed(0)} s for this profile)`);
  }
  for (const [label, url] of [['', emu.appUrl], ...(baseEmu ? [[', baseline', baseEmu.appUrl]] : [])]) {
    const keys = await keystrokes(browser, url);
    console.log(`per keystroke${label} (${keys.envRows} environment variables, ${keys.unions} union choices set, ${keys.times.length} keystrokes into description): median ${ms(median(keys.times))}, p95 ${ms(pct(keys.times, 95))}`);
    console.log(`  of which the app's work${label} (input event -> its handlers and effects done): median ${ms(median(keys.work))}, p95 ${ms(pct(keys.work, 95))}`);
    if (keys.length < KEYSTROKES) throw new Error(`description holds ${keys.length} characters after ${KEYSTROKES} keystrokes`);
  }
} finally {
  await browser.close();
  for (const p of pages) await p.emu.stop();
}
if (!args.has('--no-sign')) {
  const sign = signBench();
  console.log(`sign one request: median ${ms(sign.median)} (p95 ${ms(sign.p95)}; 1,000 samples of 10 signings each)`);
}
