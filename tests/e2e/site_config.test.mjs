// The site configuration (docs/site-config.md): an optional
// console-config.json next to index.html sets, and may lock, the region and
// endpoint panel's defaults. A copy of the release build gets the file each
// test needs; the emulator serves it under /tools/console/.

import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  ROOT, TEST_KEY, startEmulator, launchBrowser, openPage, assumeRole, pasteCredentials, siteDist,
} from './harness.mjs';

let site;
let emu;
let browser;
let creds;
let app;

before(async () => {
  site = siteDist();
  emu = await startEmulator({ staticDir: site.dir });
  browser = await launchBrowser();
  creds = await assumeRole(emu);
});
after(async () => {
  await app?.close();
  await browser?.close();
  await emu?.stop();
  site?.remove();
});
beforeEach(async () => {
  await app?.close();
  app = null;
  site.write(null);
});

/** Opens the console once the site configuration was applied (the panel shows a region). */
async function open(options) {
  app = await openPage(browser, emu.appUrl, options);
  await app.page.waitForSelector('[data-testid=resolved-endpoint] span');
  // the configuration arrives with the .wasm; give its effects a moment
  await app.page.waitForTimeout(200);
  return app.page;
}

const mark = (page, key) => page.locator(`[data-site-mark="${key}"]`);
const banner = (page) => page.locator('[data-testid=site-config-problem]');
const configFetches = () => emu.stderr().split('\n').filter((l) => /STATIC GET \S*\/console-config\.json /.test(l)).length;

/** Lists the runtimes through the page against the emulator: the page works. */
async function listRuntimes(page) {
  await pasteCredentials(page, creds);
  await page.fill('[name=endpointUrl]', emu.endpoint);
  await page.getByRole('button', { name: 'List runtimes' }).click();
  await page.waitForFunction(() => /runtimes? found|Could not/.test(document.querySelector('[data-testid=picker-message]')?.textContent || ''));
  return page.textContent('[data-testid=picker-message]');
}

test('a site configuration sets the defaults, marked "Set by this site"; fetched once, beside the .wasm', async () => {
  site.write({ region: 'eu-central-1', endpointVariant: 'dualstack' });
  const before = configFetches();
  const page = await open();
  assert.equal(await page.inputValue('[name=region]'), 'eu-central-1');
  assert.equal(await page.inputValue('[name=endpointVariant]'), 'dualstack');
  assert.equal((await mark(page, 'region').textContent()).trim(), 'Set by this site');
  assert.equal(await mark(page, 'region').getAttribute('data-locked'), 'false');
  assert.equal(await mark(page, 'endpointVariant').count(), 1);
  assert.equal(await mark(page, 'sendVia').count(), 0, 'the file does not set sendVia');
  assert.match(await page.textContent('[data-testid=resolved-endpoint]'), /eu-central-1\.api\.aws/);
  assert.equal(await banner(page).count(), 0);
  assert.equal(await page.isDisabled('[name=region]'), false);
  // the preload and the app's fetch are one request
  assert.equal(configFetches() - before, 1, emu.stderr());
  assert.deepEqual(app.errors(), []);

  // the user's choice wins over an unlocked site value, and is kept…
  await page.fill('[name=region]', 'us-west-2');
  await page.waitForFunction(() => !document.querySelector('[data-site-mark=region]'));
  await page.reload();
  await page.waitForSelector('[data-testid=resolved-endpoint] span');
  await page.waitForTimeout(200);
  assert.equal(await page.inputValue('[name=region]'), 'us-west-2');
  assert.equal(await mark(page, 'region').count(), 0);
  // …and a choice equal to the site's follows the site when it changes
  await page.fill('[name=region]', 'eu-central-1');
  await mark(page, 'region').waitFor();
  site.write({ region: 'eu-west-1' });
  await page.reload();
  await page.waitForSelector('[data-testid=resolved-endpoint] span');
  await page.waitForFunction(() => document.querySelector('[name=region]').value === 'eu-west-1');
});

test('no site configuration: silent, built-in defaults, no errors', async () => {
  const page = await open();
  assert.equal(await page.inputValue('[name=region]'), 'us-east-1');
  assert.equal(await page.inputValue('[name=sendVia]'), 'direct');
  assert.equal(await page.locator('[data-site-mark]').count(), 0);
  assert.equal(await banner(page).count(), 0);
  assert.deepEqual(app.errors(), []);
});

test('a 404 for the file is silent: no banner and no console error but the 404 itself', async () => {
  await open();
  // from here on, the file is a 404 (as nginx answers for a missing file)
  app.failedRequests.length = 0;
  app.consoleMessages.length = 0;
  await app.context.route('**/console-config.json', (r) => r.fulfill({ status: 404, contentType: 'text/plain', body: 'not found' }));
  await app.page.reload();
  await app.page.waitForSelector('[data-testid=resolved-endpoint] span');
  await app.page.waitForTimeout(300);
  assert.equal(await banner(app.page).count(), 0);
  assert.equal(await app.page.inputValue('[name=region]'), 'us-east-1');
  const other = app.errors().filter((e) => !/console-config\.json/.test(e) && !/status of 404/.test(e));
  assert.deepEqual(other, []);
  assert.ok(app.errors().length <= 2, app.errors().join('\n'));
});

test('a bad file: a banner names each bad key and why, never a credential\'s value; the valid keys apply and the page works', async () => {
  site.write({
    region: 'eu-west-1',
    sendVia: 'carrier-pigeon',
    relayUrl: '//elsewhere.example.com',
    colour: 'blue',
    lock: ['region', 'nope'],
    endpointVariant: 7,
    secretAccessKey: TEST_KEY.secretAccessKey,
    accessKeyId: TEST_KEY.accessKeyId,
  });
  const page = await open();
  const shown = await banner(page).textContent();
  assert.equal(await banner(page).getAttribute('role'), 'alert');
  for (const key of ['sendVia', 'relayUrl', 'colour', 'lock', 'endpointVariant', 'secretAccessKey', 'accessKeyId']) {
    assert.ok(shown.includes(`\`${key}\``), `${key} not named: ${shown}`);
  }
  assert.match(shown, /must be one of direct, relay/);
  assert.match(shown, /`nope`/);
  assert.match(shown, /credential/);
  assert.ok(!shown.includes(TEST_KEY.secretAccessKey) && !shown.includes(TEST_KEY.accessKeyId), shown);
  assert.ok(!(await page.content()).includes(TEST_KEY.secretAccessKey));
  // the valid keys still apply: region, locked
  assert.equal(await page.inputValue('[name=region]'), 'eu-west-1');
  assert.equal(await page.isDisabled('[name=region]'), true);
  assert.equal(await page.inputValue('[name=sendVia]'), 'direct');
  assert.match(await listRuntimes(page), /runtimes? found/);
  assert.deepEqual(app.pageErrors, []);
});

test('a file that is not JSON: the banner names the file; built-in defaults', async () => {
  site.write('{ "region": "eu-west-1", ');
  const page = await open();
  assert.match(await banner(page).textContent(), /`console-config\.json` is not valid JSON/);
  assert.equal(await page.inputValue('[name=region]'), 'us-east-1');
  assert.deepEqual(app.pageErrors, []);
});

test('locked settings: the controls are disabled and say why; a saved choice is ignored for them only', async () => {
  site.write({
    region: 'eu-west-1',
    regions: ['eu-west-1', 'eu-central-1'],
    sendVia: 'relay',
    relayUrl: '/aws',
    lock: ['region', 'sendVia'],
  });
  const page = await open();
  const saved = JSON.stringify({ region: 'us-west-2', variant: 'fips', endpointUrl: '', sendVia: 'direct', relayUrl: '/mine' });
  await page.evaluate((s) => localStorage.setItem('agentcore-console.settings', s), saved);
  await page.reload();
  await page.waitForSelector('[data-testid=resolved-endpoint] span');
  await page.waitForFunction(() => document.querySelector('[name=sendVia]')?.disabled);
  // locked: the site's values, disabled, with the reason
  assert.equal(await page.inputValue('[name=region]'), 'eu-west-1');
  assert.equal(await page.isDisabled('[name=region]'), true);
  assert.equal(await page.inputValue('[name=sendVia]'), 'relay');
  assert.equal(await page.isDisabled('[name=sendVia]'), true);
  for (const key of ['region', 'sendVia']) {
    assert.equal(await mark(page, key).getAttribute('data-locked'), 'true');
    assert.match(await mark(page, key).textContent(), /Set by this site, which does not let it be changed here/);
  }
  // `regions` limits the picker's suggestions
  assert.deepEqual(await page.locator('#region-list option').evaluateAll((os) => os.map((o) => o.value).sort()), ['eu-central-1', 'eu-west-1']);
  // not locked: the saved choices stand
  assert.equal(await page.inputValue('[name=relayUrl]'), '/mine');
  assert.equal(await page.isDisabled('[name=relayUrl]'), false);
  assert.equal(await mark(page, 'relayUrl').count(), 0);
  assert.equal(await page.inputValue('[name=endpointVariant]'), 'fips');
  assert.match(await page.textContent('[data-testid=resolved-endpoint]'), /sent through http:\/\/127\.0\.0\.1:\d+\/mine$/);
  assert.deepEqual(app.pageErrors, []);
});

// Every configuration docs/site-config.md shows, and the one `make run`
// writes (emulator/console-config.json), loads without a problem.
const docs = readFileSync(path.join(ROOT, 'docs', 'site-config.md'), 'utf8');
const examples = [...docs.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => m[1]);
examples.push(readFileSync(path.join(ROOT, 'emulator', 'console-config.json'), 'utf8'));

test(`the ${examples.length} example configurations of docs/site-config.md and make run load with no problem`, async () => {
  assert.ok(examples.length >= 3, 'docs/site-config.md shows its examples in ```json blocks');
  for (const example of examples) {
    const config = JSON.parse(example);
    site.write(example);
    await app?.close();
    const page = await open();
    assert.equal(await banner(page).count(), 0, example);
    if (config.region) assert.equal(await page.inputValue('[name=region]'), config.region, example);
    for (const key of ['ssoStartUrl', 'ssoRegion']) {
      if (config[key]) assert.equal(await page.inputValue(`[name=${key}]`), config[key], example);
    }
    if (config.ssoStartUrl) assert.equal(await page.isChecked('input[name=credentialsWay][value=sso]'), true, example);
    for (const key of config.lock || []) assert.equal(await page.isDisabled(`[name=${key}]`), true, `${key} in ${example}`);
    assert.deepEqual(app.pageErrors, []);
  }
});
