#!/usr/bin/env node
// Benchmark of a big streamed answer in "Try the agent" (issue 21: "a big
// answer must not freeze the page; the view keeps the last 1 MB"). A report,
// not a test: it never fails on a figure, only when it cannot measure.
//
//   node scripts/bench-invoke.mjs
//
// Needs dist/ (`trunk build --release`) and the tools of scripts/setup.sh.
// As the e2e tests do, the emulator serves dist/ with the production CSP
// (its fake agent answers `{"prompt": "big"}` with 20,000,000 bytes, SSE
// events of 64 KiB) to headless /usr/bin/chromium (playwright-core), here
// with --disable-frame-rate-limit and --disable-gpu-vsync as bench-browser.mjs
// has it; credentials pasted, the emulator as endpoint, the seeded runtime
// picked and loaded. Prints:
//
// - per keystroke, on the idle page (200 keys: the baseline) and while the
//   answer streams: a key into `description` every 50 ms (`a`, Backspace,
//   `a`, … so its length stays), sent through the DevTools protocol without
//   waiting for the page, as a person types; each measured in the page to
//   the next animation frame after its input event (the app's handlers,
//   effects and render inside), from two starts: the input event (a
//   capturing listener on window: bench-browser.mjs's definition), and the
//   key's keydown event.timeStamp (when the browser took the key: this adds
//   the wait behind the page's work on the stream). Median, p95, max; while
//   streaming, the keys whose input event came while invoke-status said
//   `streaming`. Localhost sends the 20 MB in under a second or so, so the
//   call is repeated until MIN_SAMPLES such keys (at most MAX_CALLS calls).
//   And the long tasks (PerformanceObserver 'longtask') while streaming;
// - the calls: state, data-bytes (20,000,000), medians of the page's
//   data-total-ms and data-first-byte-ms and of click -> done (wall clock,
//   seen within 100 ms);
// - memory before the calls, after the first and after the last, each
//   after a forced GC (DevTools HeapProfiler.collectGarbage): JS heap used
//   (Performance.getMetrics), DOM nodes, every WebAssembly.Memory's size
//   (Runtime.queryObjects; wasm memory only grows: its peak so far), and
//   performance.measureUserAgentSpecificMemory() if the page is
//   cross-origin isolated; then invoke-output's text length (the view keeps
//   about the last 1 MB) and what invoke-cut says.

import {
  DIST, CHROMIUM_ARGS, startEmulator, launchBrowser, openPage, pasteCredentials, seededRuntimeId, assumeRole, pickAndLoad,
} from '../tests/e2e/harness.mjs';
import { existsSync } from 'node:fs';
import path from 'node:path';

if (process.argv.length > 2) {
  console.error(`bench-invoke: takes no arguments, not ${process.argv.slice(2).join(' ')}`);
  process.exit(2);
}
if (!existsSync(path.join(DIST, 'index.html'))) {
  console.error('bench-invoke: dist/index.html missing: run `trunk build --release` first');
  process.exit(2);
}
const PAYLOAD = '{"prompt": "big"}';
const KEY_EVERY_MS = 50;
const BASELINE_KEYS = 200;
const MIN_SAMPLES = 200; // keys while streaming: calls until this many ...
const MAX_CALLS = 20; // ... or this many calls
const KEYS = [
  { text: 'a', key: 'a', code: 'KeyA', windowsVirtualKeyCode: 65 },
  { key: 'Backspace', code: 'Backspace', windowsVirtualKeyCode: 8 },
];

const sleep = (t) => new Promise((resolve) => setTimeout(resolve, t));
const pct = (xs, p) => [...xs].sort((a, b) => a - b)[Math.max(0, Math.ceil((p / 100) * xs.length) - 1)];
const ms = (x) => `${x.toFixed(1)} ms`;
const mb = (bytes) => `${(bytes / 1e6).toFixed(2)} MB`;
const stats = (xs) => `median ${ms(pct(xs, 50))}, p95 ${ms(pct(xs, 95))}, max ${ms(Math.max(...xs))}`;

/** In the page: a sample per input event ({input, key, state}, see the top) into __keys, the long
 * tasks into __longTasks, the spans invoke-status said `streaming` into __spans, calls ended in __ends. */
function installProbes() {
  const stateNow = () => document.querySelector('[data-testid=invoke-status]')?.getAttribute('data-state');
  Object.assign(window, { __keys: [], __longTasks: [], __spans: [], __ends: 0 });
  let keyAt = 0;
  let span = null;
  window.addEventListener('keydown', (e) => { keyAt = e.timeStamp; }, { capture: true });
  window.addEventListener('input', () => {
    const [at, key, state] = [performance.now(), keyAt, stateNow()];
    requestAnimationFrame(() => window.__keys.push({ input: performance.now() - at, key: performance.now() - key, state }));
  }, { capture: true });
  new PerformanceObserver((list) => window.__longTasks.push(...list.getEntries().map((e) => ({ start: e.startTime, duration: e.duration }))))
    .observe({ type: 'longtask' });
  let last = stateNow();
  new MutationObserver(() => {
    const state = stateNow();
    if (state === last) return;
    last = state;
    if (state === 'streaming' && !span) span = { start: performance.now() };
    if (state !== 'streaming' && span) {
      window.__spans.push({ ...span, end: performance.now() });
      span = null;
    }
    if (['done', 'failed', 'stopped'].includes(state)) window.__ends += 1;
  }).observe(document.body, { subtree: true, attributes: true, attributeFilter: ['data-state'] });
}

/** Types into the focused field every KEY_EVERY_MS until `stop()`, then evenly (a, Backspace); returns its samples. */
async function type(page, cdp, stop) {
  const sent = [];
  for (let i = 0; !stop(i) || i % 2; i += 1) {
    const key = KEYS[i % 2];
    sent.push(cdp.send('Input.dispatchKeyEvent', { type: key.text ? 'keyDown' : 'rawKeyDown', ...key }),
      cdp.send('Input.dispatchKeyEvent', { type: 'keyUp', ...key, text: undefined }));
    await sleep(KEY_EVERY_MS);
  }
  await Promise.all(sent);
  await page.waitForFunction((n) => window.__keys.length >= n, sent.length / 2, { timeout: 60_000 });
  return page.evaluate(() => window.__keys.splice(0));
}

/** One call with the big payload, typing until it ends. */
async function bigCall(page, cdp) {
  const ends = await page.evaluate(() => window.__ends);
  const started = Date.now();
  let wall = null;
  page.waitForFunction((n) => window.__ends > n, ends, { timeout: 600_000, polling: 100 })
    .then(() => { wall = Date.now() - started; }, () => { wall = NaN; });
  // element.click(): the focus stays in the field typed into
  await page.locator('[data-testid=invoke-send]').evaluate((b) => b.click());
  const typed = await type(page, cdp, () => wall !== null);
  const status = await page.locator('[data-testid=invoke-status]').evaluate((el) => Object.fromEntries(
    ['state', 'bytes', 'first-byte-ms', 'total-ms', 'error-code'].map((a) => [a, el.getAttribute(`data-${a}`)])));
  return { wall, status, typed: typed.length, keys: typed.filter((k) => k.state === 'streaming') };
}

/** Memory after a forced GC (see the top). */
async function memory(page, cdp) {
  await cdp.send('HeapProfiler.collectGarbage');
  const { metrics } = await cdp.send('Performance.getMetrics');
  const m = Object.fromEntries(metrics.map((x) => [x.name, x.value]));
  const proto = await cdp.send('Runtime.evaluate', { expression: 'WebAssembly.Memory.prototype' });
  const { objects } = await cdp.send('Runtime.queryObjects', { prototypeObjectId: proto.result.objectId });
  const wasm = await cdp.send('Runtime.callFunctionOn', {
    objectId: objects.objectId, returnByValue: true,
    functionDeclaration: 'function () { return this.map((m) => m.buffer.byteLength); }',
  });
  const uasm = await page.evaluate(async () => (self.crossOriginIsolated && performance.measureUserAgentSpecificMemory
    ? (await performance.measureUserAgentSpecificMemory()).bytes : null));
  return { heap: m.JSHeapUsedSize, nodes: m.Nodes, wasm: wasm.result.value, uasm };
}
const showMemory = (label, x) => console.log(`  ${label}: JS heap used ${mb(x.heap)}, wasm memory ${x.wasm.map(mb).join(' + ') || 'none found'}, `
  + `${x.nodes} DOM nodes, measureUserAgentSpecificMemory ${x.uasm === null ? 'n/a (page not cross-origin isolated)' : mb(x.uasm)}`);

const emu = await startEmulator();
const browser = await launchBrowser({ args: [...CHROMIUM_ARGS, '--disable-frame-rate-limit', '--disable-gpu-vsync'] });
try {
  const [runtimeId, creds] = [await seededRuntimeId(emu), await assumeRole(emu)];
  const app = await openPage(browser, emu.appUrl);
  const { page } = app;
  await pasteCredentials(page, creds);
  await page.fill('[name=endpointUrl]', emu.endpoint);
  await pickAndLoad(page, runtimeId);
  await page.fill('[name="invoke.payload"]', PAYLOAD);
  const cdp = await app.context.newCDPSession(page);
  await cdp.send('Performance.enable');
  await page.evaluate(installProbes);
  await page.focus('[name=description]');
  await page.keyboard.press('End');

  const idle = await type(page, cdp, (i) => i >= BASELINE_KEYS);
  const before = await memory(page, cdp);
  const calls = [await bigCall(page, cdp)];
  const afterOne = await memory(page, cdp);
  while (calls.length < MAX_CALLS && calls.flatMap((c) => c.keys).length < MIN_SAMPLES) calls.push(await bigCall(page, cdp));
  const keys = calls.flatMap((c) => c.keys);
  const { spans, longTasks } = await page.evaluate(() => ({ spans: window.__spans, longTasks: window.__longTasks }));
  const inStream = longTasks.filter((t) => spans.some((s) => t.start < s.end && t.start + t.duration > s.start)).map((t) => t.duration);
  const after = await memory(page, cdp);
  const output = await page.locator('[data-testid=invoke-output]').evaluate((el) => el.textContent.length);
  const cut = await page.locator('[data-testid=invoke-cut]').first().textContent({ timeout: 1_000 }).catch(() => null);

  console.log(`bench-invoke: dist/ against the emulator, payload ${PAYLOAD}, a key every ${KEY_EVERY_MS} ms into description`);
  console.log(`per keystroke, idle page (${idle.length} keys):`);
  console.log(`  input event -> next frame: ${stats(idle.map((k) => k.input))}`);
  console.log(`  key event -> next frame:   ${stats(idle.map((k) => k.key))}`);
  console.log(`per keystroke while streaming (${keys.length} keys, over ${calls.length} calls):`);
  if (keys.length) {
    console.log(`  input event -> next frame: ${stats(keys.map((k) => k.input))}`);
    console.log(`  key event -> next frame:   ${stats(keys.map((k) => k.key))}`);
  }
  console.log(`  long tasks while streaming: ${inStream.length}${inStream.length
    ? `, ${ms(inStream.reduce((x, y) => x + y, 0))} in all, longest ${ms(Math.max(...inStream))}` : ''}`);
  const all = (f) => [...new Set(calls.map(f))].join(', ');
  const totals = calls.map((c) => Number(c.status['total-ms']));
  console.log(`stream, ${calls.length} calls: state ${all((c) => c.status.state + (c.status['error-code'] ? ` (${c.status['error-code']})` : ''))}, `
    + `data-bytes ${all((c) => Number(c.status.bytes).toLocaleString('en-US'))}; page's data-total-ms median ${ms(pct(totals, 50))} `
    + `(min ${ms(Math.min(...totals))}, max ${ms(Math.max(...totals))}), first byte median ${ms(pct(calls.map((c) => Number(c.status['first-byte-ms'])), 50))}, `
    + `click -> end seen median ${ms(pct(calls.map((c) => c.wall), 50))}`);
  console.log('memory (after a forced GC):');
  showMemory('before the calls    ', before);
  showMemory('after the first call', afterOne);
  showMemory(`after ${calls.length} calls`.padEnd(20), after);
  console.log(`  invoke-output text: ${output.toLocaleString('en-US')} characters${cut ? `; invoke-cut: "${cut.trim()}"` : ''}`);
  const errors = app.errors();
  if (errors.length) console.log(`page errors:\n  ${errors.join('\n  ')}`);
  await app.close();
} finally {
  await browser.close();
  await emu.stop();
}
