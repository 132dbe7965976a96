#!/usr/bin/env node
// The README's screenshot: the release build in dist/ against the local
// emulator, as the end-to-end tests run it (tests/e2e/harness.mjs), with
// temporary credentials pasted, the runtimes listed, the sample runtime chosen
// and its current configuration loaded into the form.
//
//   scripts/test.sh build && node scripts/screenshot.mjs [OUT.png]
//
// Writes docs/screenshot.png (1200 px wide) unless told otherwise. Needs the
// tools of scripts/setup.sh (.venv, .tools/node_modules, /usr/bin/chromium).

import path from 'node:path';
import { statSync } from 'node:fs';
import {
  ROOT, startEmulator, launchBrowser, openPage, seededRuntimeId, assumeRole, pasteCredentials,
} from '../tests/e2e/harness.mjs';

const out = path.resolve(process.argv[2] ?? path.join(ROOT, 'docs', 'screenshot.png'));
const WIDTH = 1200;
const HEIGHT = 1240;

const emu = await startEmulator();
let browser;
try {
  const id = await seededRuntimeId(emu);
  const creds = await assumeRole(emu);
  browser = await launchBrowser();
  const app = await openPage(browser, emu.appUrl, { contextOptions: { viewport: { width: WIDTH, height: HEIGHT } } });
  const { page } = app;

  await pasteCredentials(page, creds);
  await page.fill('[name=endpointUrl]', emu.endpoint);
  await page.waitForFunction(
    (url) => document.querySelector('[data-testid=resolved-endpoint]')?.textContent.includes(url),
    emu.endpoint,
  );
  await page.getByRole('button', { name: 'List runtimes' }).click();
  await page.waitForSelector(`select[name=runtimePicker] option[value="${id}"]`, { state: 'attached' });
  await page.selectOption('select[name=runtimePicker]', id);
  await page.getByRole('button', { name: 'Load current configuration' }).click();
  await page.waitForFunction(() => /Loaded version/.test(document.querySelector('[data-testid=picker-message]')?.textContent || ''));
  await page.waitForSelector('[data-testid=diff]');
  // the field a user edits first, changed, so the review shows one change
  await page.fill('[name="agentRuntimeArtifact.containerConfiguration.containerUri"]',
    '123456789012.dkr.ecr.us-east-1.amazonaws.com/sample-agent:1.6.0');
  await page.locator('[data-testid=diff] [data-change=changed]').first().waitFor();
  await page.evaluate(() => window.scrollTo(0, 0));

  const problems = app.errors();
  if (problems.length) throw new Error(`the page reported:\n  ${problems.join('\n  ')}`);
  await page.screenshot({ path: out });
  console.log(`${path.relative(ROOT, out)}: ${WIDTH}x${HEIGHT}, ${Math.round(statSync(out).size / 1024)} KB`);
  await app.close();
} finally {
  await browser?.close();
  await emu.stop();
}
