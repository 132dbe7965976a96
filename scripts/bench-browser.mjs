#!/usr/bin/env node
// Browser benchmark of the release build (a report, not a test: it never
// fails on timing; it exits non-zero only when it cannot measure).
//
//   node scripts/bench-browser.mjs [--no-floor] [--no-sign] [--baseline DIR]
//
// --baseline DIR also measures another release build (e.g. a copy of dist/
// from before a change) in the same run, its page loads interleaved with
// dist/'s, so a before/after comparison sees the same machine load.
//
// Needs dist/ (`trunk build --release`) and the tools of scripts/setup.sh on
// PATH (`source scripts/env.sh`, as scripts/test.sh and `make bench-browser` do).
// Headless Chromium (/usr/bin/chromium via playwright-core) against dist/
// served by the emulator under /tools/console/ with the production CSP, as
// tests/e2e/harness.mjs does. Prints:
//
// - load -> interactive: median of 15 fresh page loads, from navigation
//   start until the send button shows and the request box takes input
//   (measured in the page: performance.now() when both exist and the box is
//   enabled); the same for the size floor (scripts/size-floor, all features,
//   built as bench-size.sh --floor builds it), in the same run;
// - per keystroke: the form holding 50 environment variables and every
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
import { existsSync, mkdirSync, readFileSync, writeFileSync, copyFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT, DIST, CHROMIUM_ARGS, startEmulator, launchBrowser } from '../tests/e2e/harness.mjs';

const argv = process.argv.slice(2);
const args = new Set(argv);
const baselineAt = argv.indexOf('--baseline');
const baselineDir = baselineAt >= 0 ? path.resolve(argv[baselineAt + 1] ?? '') : null;
if (baselineDir && !existsSync(path.join(baselineDir, 'index.html'))) {
  console.error(`bench-browser: ${baselineDir}/index.html missing`);
  process.exit(2);
}
const RUNS = 15;
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
/** Navigation -> interactive of `runs` fresh contexts. `ready` runs in the page. */
async function startup(browser, url, ready, runs) {
  const times = [];
  for (let i = 0; i < runs; i += 1) {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.addInitScript(`(() => {
      const ready = ${ready};
      const check = () => {
        if (window.__interactive === undefined && ready()) window.__interactive = performance.now();
      };
      new MutationObserver(check).observe(document, { childList: true, subtree: true, attributes: true });
    })()`);
    await page.goto(url, { waitUntil: 'load' });
    await page.waitForFunction(() => window.__interactive !== undefined, null, { timeout: 30_000 });
    times.push(await page.evaluate(() => window.__interactive));
    await context.close();
  }
  return times;
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
const emu = await startEmulator();
const floorEmu = floor ? await startEmulator({ staticDir: floor, seed: false }) : null;
const baseEmu = baselineDir ? await startEmulator({ staticDir: baselineDir, seed: false }) : null;
// frames as soon as the page can draw them, not on 60 Hz ticks (see the top)
const browser = await launchBrowser({ args: [...CHROMIUM_ARGS, '--disable-frame-rate-limit', '--disable-gpu-vsync'] });
try {
  // interleave console and floor runs so both see the same machine load
  const consoleTimes = [];
  const floorTimes = [];
  const baseTimes = [];
  const perRound = RUNS / 3;
  for (let round = 0; round < 3; round += 1) {
    consoleTimes.push(...await startup(browser, emu.appUrl, consoleReady, perRound));
    if (floorEmu) floorTimes.push(...await startup(browser, floorEmu.appUrl, floorReady, perRound));
    if (baseEmu) baseTimes.push(...await startup(browser, baseEmu.appUrl, consoleReady, perRound));
  }
  console.log(`load -> interactive, console: median ${ms(median(consoleTimes))} (${consoleTimes.length} runs; min ${ms(Math.min(...consoleTimes))}, max ${ms(Math.max(...consoleTimes))})`);
  if (floorEmu) {
    console.log(`load -> interactive, floor:   median ${ms(median(floorTimes))} (${floorTimes.length} runs; min ${ms(Math.min(...floorTimes))}, max ${ms(Math.max(...floorTimes))})`);
  }
  if (baseEmu) {
    console.log(`load -> interactive, baseline: median ${ms(median(baseTimes))} (${baseTimes.length} runs; min ${ms(Math.min(...baseTimes))}, max ${ms(Math.max(...baseTimes))})`);
  }
  for (const [label, url] of [['', emu.appUrl], ...(baseEmu ? [[', baseline', baseEmu.appUrl]] : [])]) {
    const keys = await keystrokes(browser, url);
    console.log(`per keystroke${label} (${keys.envRows} environment variables, ${keys.unions} union choices set, ${keys.times.length} keystrokes into description): median ${ms(median(keys.times))}, p95 ${ms(pct(keys.times, 95))}`);
    console.log(`  of which the app's work${label} (input event -> its handlers and effects done): median ${ms(median(keys.work))}, p95 ${ms(pct(keys.work, 95))}`);
    if (keys.length < KEYSTROKES) throw new Error(`description holds ${keys.length} characters after ${KEYSTROKES} keystrokes`);
  }
} finally {
  await browser.close();
  await emu.stop();
  await floorEmu?.stop();
  await baseEmu?.stop();
}
if (!args.has('--no-sign')) {
  const sign = signBench();
  console.log(`sign one request: median ${ms(sign.median)} (p95 ${ms(sign.p95)}; 1,000 samples of 10 signings each)`);
}
