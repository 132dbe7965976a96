// Every Content-Security-Policy the docs show (a `Content-Security-Policy: …`
// line in README.md or docs/*.md) is served with the release build here: the
// page must boot with it, with a site configuration present, and report no
// CSP violation. A relay policy (connect-src 'self' only) is served by nginx
// with the repo's deploy/nginx.conf, and a call through the same-origin relay
// must work; any other policy is a direct-mode one, served by the emulator's
// static server.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import {
  ROOT, startEmulator, startNginx, launchBrowser, openPage, assumeRole, pasteCredentials, siteDist,
} from './harness.mjs';

/** [{ file, policy }] for every `Content-Security-Policy: …` line of the docs. */
function documentedPolicies() {
  const docsDir = path.join(ROOT, 'docs');
  const files = ['README.md', ...(existsSync(docsDir) ? readdirSync(docsDir).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`) : [])];
  const found = [];
  for (const file of files) {
    const text = readFileSync(path.join(ROOT, file), 'utf8');
    for (const m of text.matchAll(/^\s*Content-Security-Policy:\s*(.+?)\s*$/gim)) found.push({ file, policy: m[1] });
  }
  return found;
}

/** The sources of one directive, or null when the policy has none. */
function directive(policy, name) {
  const part = policy.split(';').map((p) => p.trim().split(/\s+/)).find(([n]) => n === name);
  return part ? part.slice(1) : null;
}

const isRelayPolicy = (policy) => {
  const connect = directive(policy, 'connect-src');
  return connect !== null && connect.length === 1 && connect[0] === "'self'";
};

const policies = documentedPolicies();
let site;
let browser;

before(async () => {
  site = siteDist();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  site?.remove();
});

test('the docs show at least one direct and one relay policy', () => {
  assert.ok(policies.some((p) => isRelayPolicy(p.policy)), JSON.stringify(policies));
  assert.ok(policies.some((p) => !isRelayPolicy(p.policy)), JSON.stringify(policies));
});

/** Opens `url`; the page must boot and apply the site configuration, with no CSP violation. */
async function boots(url, region) {
  const app = await openPage(browser, url);
  await app.page.waitForSelector('[data-testid=resolved-endpoint] span');
  await app.page.waitForFunction((r) => document.querySelector('[data-site-mark=region]') && document.querySelector('[name=region]').value === r, region);
  return app;
}

for (const { file, policy } of policies) {
  if (isRelayPolicy(policy)) {
    test(`relay CSP of ${file} (nginx): boots with a site configuration, and a call through the relay works`, async () => {
      site.write({ region: 'us-east-1', sendVia: 'relay', relayUrl: '/aws' });
      const emu = await startEmulator({ staticDir: null });
      let relay;
      let app;
      try {
        relay = await startNginx(emu, { dist: site.dir, csp: policy });
        const served = (await fetch(relay.appUrl)).headers.get('content-security-policy');
        assert.equal(served, policy);
        app = await boots(relay.appUrl, 'us-east-1');
        const { page } = app;
        assert.match(await page.textContent('[data-testid=resolved-endpoint]'), new RegExp(`sent through ${relay.origin}/aws$`));
        const calls = [];
        page.on('request', (r) => { if (r.url().includes('/runtimes/')) calls.push(r.url()); });
        await pasteCredentials(page, await assumeRole(emu));
        await page.getByRole('button', { name: 'List runtimes' }).click();
        await page.waitForFunction(() => /runtimes? found|Could not/.test(document.querySelector('[data-testid=picker-message]')?.textContent || ''));
        assert.match(await page.textContent('[data-testid=picker-message]'), /runtimes? found/);
        // the call went through the relay, under the site's relayUrl
        assert.match(relay.accessLog(), /"POST \/aws\/runtimes\/\?maxResults=\d+ HTTP\/1\.1" 200/);
        assert.ok(calls.length >= 1 && calls.every((u) => u.startsWith(`${relay.origin}/aws/runtimes/`)), JSON.stringify(calls));
        assert.deepEqual(app.cspViolations, []);
        assert.deepEqual(app.errors(), []);
      } finally {
        await app?.close();
        await relay?.stop();
        await emu.stop();
      }
    });
  } else {
    test(`direct CSP of ${file} (static server): boots with a site configuration, no CSP violation`, async () => {
      site.write({ region: 'eu-west-1', sendVia: 'direct' });
      const emu = await startEmulator({ staticDir: site.dir, csp: policy, seed: false });
      let app;
      try {
        const served = (await fetch(emu.appUrl)).headers.get('content-security-policy');
        assert.equal(served, policy);
        app = await boots(emu.appUrl, 'eu-west-1');
        assert.match(await app.page.textContent('[data-testid=resolved-endpoint]'), /eu-west-1\.amazonaws\.com \(eu-west-1\), sent directly/);
        await app.page.waitForTimeout(300);
        assert.deepEqual(app.cspViolations, []);
        assert.deepEqual(app.errors(), []);
      } finally {
        await app?.close();
        await emu.stop();
      }
    });
  }
}
