// "Sign in with IAM Identity Center" (issue 22), in the page, against the
// emulator's IAM Identity Center (emulator/sso.py): directly (the custom
// endpoint is the emulator, which answers both services on loopback) and
// through the repo's nginx `{host}` relay (harness.mjs startNginx), which
// forwards `oidc.<region>…` and `portal.sso.<region>…` like the control
// plane. Each run signs in, approves the code through the emulator's control
// route, chooses an account and role, lists runtimes with the role
// credentials, sees the page renew them (short-lived credentials: the
// emulator then sees a request signed with the new key), and signs out,
// after which the page's HTML holds no token, secret or key.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  useEmulatorSuite, startNginx, openPage, config, ssoDevice, sso, requests, AWS_HOST,
} from './harness.mjs';

const suite = useEmulatorSuite();
const OIDC = 'oidc.us-east-1.amazonaws.com';
const PORTAL = 'portal.sso.us-east-1.amazonaws.com';
const START_URL = 'https://d-1234567890.awsapps.com/start';
const ACCOUNT = '123456789012';
const ROLE = 'AgentCoreOperator';
const READ_ONLY = 'AgentCoreReadOnly';
let relay;
after(async () => {
  await relay?.stop();
});

/** Waits until `check()` (sync or async) gives a truthy value, and returns it. */
async function until(check, what) {
  for (let i = 0; ; i++) {
    const value = await check();
    if (value) return value;
    if (i > 1200) throw new Error(`still waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const state = (page) => page.getAttribute('[data-testid=sso]', 'data-sso-state');
const notice = (page) => page.textContent('[data-testid=sso-notice]');

/**
 * Opens the console (`url`), records every secret IAM Identity Center hands
 * it (from the answers it reads) and every request carrying the bearer
 * token, and chooses the sign-in way.
 */
async function openSignIn(url) {
  suite.app = await openPage(suite.browser, url);
  const { page } = suite.app;
  const secrets = new Set();
  const bearerTo = [];
  page.on('request', (r) => {
    if (r.headers()['x-amz-sso_bearer_token']) bearerTo.push(r.url());
  });
  page.on('response', async (res) => {
    if (res.request().method() === 'OPTIONS' || res.status() !== 200) return;
    if (!/\/(client\/register|device_authorization|token|federation\/credentials)$|\/federation\/credentials\?/.test(res.url())) return;
    const doc = await res.json().catch(() => ({}));
    const creds = doc.roleCredentials || {};
    for (const v of [doc.clientSecret, doc.deviceCode, doc.accessToken, creds.accessKeyId, creds.secretAccessKey, creds.sessionToken]) {
      if (v) secrets.add(v);
    }
  });
  await page.check('input[name=credentialsWay][value=sso]');
  return { page, secrets, bearerTo };
}

/** Signs in, approves through the emulator, chooses the account and `role`: the role credentials' key id. */
async function signInAndUseRole(page, role = ROLE) {
  await page.fill('[name=ssoStartUrl]', START_URL);
  await page.fill('[name=ssoRegion]', 'us-east-1');
  await page.click('[data-testid=sso-start]');
  const code = (await page.textContent('[data-testid=sso-user-code]')).trim();
  const link = page.locator('[data-testid=sso-verify-link]');
  assert.equal(await link.getAttribute('rel'), 'noopener noreferrer');
  assert.equal(await link.getAttribute('target'), '_blank');
  assert.equal(await link.getAttribute('href'), `https://device.sso.us-east-1.amazonaws.com/?user_code=${code}`);
  assert.match(await link.textContent(), /device\.sso\.us-east-1\.amazonaws\.com/, 'the host, in words');
  assert.match(await page.textContent('[data-testid=sso-expiry]'), /^in \d+ min/);
  assert.equal(suite.app.context.pages().length, 1, 'nothing opened without a click');
  assert.equal(await state(page), 'authorizing');

  await ssoDevice(suite.emu, { userCode: code });
  await until(async () => (await page.locator('select[name=ssoAccount] option').count()) === 3, 'the accounts');
  const shown = await page.locator('select[name=ssoAccount] option').allTextContents();
  assert.ok(shown.includes(`${ACCOUNT} · Sandbox · sandbox@example.com`), shown.join('\n'));
  await page.selectOption('select[name=ssoAccount]', ACCOUNT);
  await page.waitForSelector(`select[name=ssoRole] option[value=${role}]`, { state: 'attached' });
  await page.selectOption('select[name=ssoRole]', role);
  await page.click('[data-testid=sso-use-role]');
  await page.waitForSelector('[data-testid=credentials-expiry]');
  assert.match(await page.textContent('[data-testid=credentials-status]'), /IAM Identity Center sign-in/);
  const issued = (await sso(suite.emu)).roleCredentials;
  assert.deepEqual(issued.map((c) => [c.accountId, c.roleName]), [[ACCOUNT, role]]);
  return issued[0].accessKeyId;
}

/** Lists runtimes through the page: the key id the emulator saw sign it. */
async function listRuntimes(page) {
  const before = (await requests(suite.emu)).length;
  await page.getByRole('button', { name: 'List runtimes' }).click();
  // the emulator's log, not the message: an earlier list left "… found" there
  const listed = await until(async () => {
    const signed = (await requests(suite.emu)).slice(before).filter((r) => r.accessKeyId);
    return signed.length > 0 && signed;
  }, 'the list request');
  await page.waitForFunction(() => /runtimes? found|Could not/.test(document.querySelector('[data-testid=picker-message]')?.textContent || ''));
  assert.match(await page.textContent('[data-testid=picker-message]'), /runtimes? found/);
  assert.equal(listed.length, 1, JSON.stringify(listed));
  return listed[0].accessKeyId;
}

/** Renewal, then sign-out: what both routes share after the sign-in. */
async function renewThenSignOut(page, firstKey, secrets) {
  assert.equal(await listRuntimes(page), firstKey, 'the role credentials sign the control plane');
  // credentials that live 20 s are renewed halfway, with the token still valid
  const renewed = await until(async () => (await sso(suite.emu)).roleCredentials[1]?.accessKeyId, 'a renewal');
  assert.notEqual(renewed, firstKey);
  await until(async () => /^Renewed role/.test((await notice(page)).trim()), 'the page to use the renewed credentials');
  const listedWith = await listRuntimes(page);
  const issued = (await sso(suite.emu)).roleCredentials.map((c) => c.accessKeyId);
  assert.ok(listedWith !== firstKey && issued.includes(listedWith), 'the emulator sees renewed credentials');
  assert.equal(await state(page), 'signed-in');

  await page.click('[data-testid=sso-sign-out]');
  await until(async () => (await state(page)) === 'signed-out', 'signed out');
  await until(async () => (await sso(suite.emu)).accessTokens.every((t) => !t.valid), 'Logout to end the token');
  assert.equal(await page.locator('[data-testid=masked-key]').count(), 0, 'the role credentials are forgotten');
  const html = await page.content();
  const stored = await page.evaluate(() => JSON.stringify({ ...localStorage }));
  assert.ok(secrets.size >= 6, `the secrets seen: ${secrets.size}`);
  for (const secret of [...secrets, firstKey, renewed]) {
    assert.ok(!html.includes(secret), `the page's HTML still holds ${secret.slice(0, 4)}…`);
    assert.ok(!stored.includes(secret), `localStorage holds ${secret.slice(0, 4)}…`);
  }
  assert.match(stored, /"ssoStartUrl\\":\\"https:\/\/d-1234567890\.awsapps\.com\/start/, 'the start URL is remembered');
  assert.deepEqual(suite.app.pageErrors, []);
}

test('direct: sign in, approve, choose account and role, list runtimes, see a renewal, sign out', async () => {
  await config(suite.emu, { sso_credentials_seconds: 20 });
  const { page, secrets, bearerTo } = await openSignIn(suite.emu.appUrl);
  await page.fill('[name=endpointUrl]', suite.emu.endpoint);
  const key = await signInAndUseRole(page);
  await renewThenSignOut(page, key, secrets);
  assert.ok(bearerTo.length >= 4);
  for (const url of bearerTo) assert.match(url, /\/(assignment\/|federation\/credentials|logout)/, `the token went to ${url}`);
  const seen = await requests(suite.emu);
  assert.ok(seen.some((r) => r.outcome === 'sso:Logout'), 'Logout was called');
});

test('through the {host} relay: each call goes to its own host, the token only to the portal', async () => {
  relay ??= await startNginx(suite.emu, { hosts: [AWS_HOST, OIDC, PORTAL] });
  await config(suite.emu, { sso_credentials_seconds: 20 });
  const { page, secrets, bearerTo } = await openSignIn(relay.appUrl);
  await page.fill('[name=endpointUrl]', '');
  await page.selectOption('select[name=sendVia]', 'relay');
  await page.fill('[name=relayUrl]', '/aws/{host}');
  const key = await signInAndUseRole(page);
  await renewThenSignOut(page, key, secrets);
  for (const url of bearerTo) assert.ok(url.startsWith(`${relay.origin}/aws/${PORTAL}/`), `the token went to ${url}`);
  const hosts = (await requests(suite.emu)).filter((r) => r.outcome?.startsWith('sso:')).map((r) => r.headers.host);
  assert.deepEqual([...new Set(hosts)].sort(), [OIDC, PORTAL]);
});

test('a denied sign-in says what to do next to the button, and the form is kept', async () => {
  const { page } = await openSignIn(suite.emu.appUrl);
  await page.fill('[name=endpointUrl]', suite.emu.endpoint);
  await page.fill('[name=ssoStartUrl]', 'http://portal.example.com/start');
  await page.fill('[name=ssoRegion]', 'us-east-1');
  await page.click('[data-testid=sso-start]');
  assert.match(await notice(page), /plain http:\/\/ for a host that is not this computer/);
  await page.fill('[name=ssoStartUrl]', START_URL);
  await page.click('[data-testid=sso-start]');
  const code = (await page.textContent('[data-testid=sso-user-code]')).trim();
  await ssoDevice(suite.emu, { userCode: code, decision: 'deny' });
  await until(async () => (await state(page)) === 'signed-out', 'the denial');
  assert.match(await notice(page), /The sign-in was denied: the request was not approved in the browser/);
  assert.equal(await page.inputValue('[name=ssoStartUrl]'), START_URL);
  await page.click('[data-testid=sso-start]');
  await page.waitForSelector('[data-testid=sso-cancel]');
  await page.click('[data-testid=sso-cancel]');
  await until(async () => (await state(page)) === 'signed-out', 'the cancel');
  assert.match(await notice(page), /Sign-in cancelled/);
});

test('a sign-in the browser blocks (CORS) in direct mode points at the relay', async () => {
  await config(suite.emu, { cors: false });
  const { page } = await openSignIn(suite.emu.appUrl);
  await page.fill('[name=endpointUrl]', suite.emu.endpoint);
  await page.fill('[name=ssoStartUrl]', START_URL);
  await page.fill('[name=ssoRegion]', 'us-east-1');
  await page.click('[data-testid=sso-start]');
  await until(async () => (await state(page)) === 'signed-out' && (await notice(page)).trim(), 'the failure');
  assert.match(await notice(page), /Through this site \(relay\)/);
  assert.equal(await page.inputValue('[name=ssoStartUrl]'), START_URL, 'the form is kept');
});

test('an access token that runs out: "Sign in again" keeps the draft and the credentials, and pre-selects the account and role; a reload remembers them', async () => {
  await config(suite.emu, { sso_token_seconds: 15 });
  const { page, secrets } = await openSignIn(suite.emu.appUrl);
  await page.fill('[name=endpointUrl]', suite.emu.endpoint);
  // not the account's first role, which a select shows anyway
  const key = await signInAndUseRole(page, READ_ONLY);
  await page.fill('[name=description]', 'a draft made while signed in');

  await until(async () => (await state(page)) === 'sign-in-again', 'the access token to run out');
  assert.match(await notice(page), /sign in again/i);
  assert.equal((await page.textContent('[data-testid=sso-start]')).trim(), 'Sign in again');
  assert.equal(await page.inputValue('[name=description]'), 'a draft made while signed in', 'the draft is kept');
  assert.equal(await listRuntimes(page), key, 'the role credentials in use are kept until they expire');

  await page.click('[data-testid=sso-start]');
  const code = (await page.textContent('[data-testid=sso-user-code]')).trim();
  await ssoDevice(suite.emu, { userCode: code });
  await page.waitForSelector(`select[name=ssoRole] option[value=${READ_ONLY}]`, { state: 'attached' });
  assert.equal(await page.inputValue('select[name=ssoAccount]'), ACCOUNT, 'the account is pre-selected');
  assert.equal(await page.inputValue('select[name=ssoRole]'), READ_ONLY, 'the role is pre-selected');
  assert.equal(await page.inputValue('[name=description]'), 'a draft made while signed in');

  // a new page: the start URL, region, account and role are remembered; nothing secret is
  const stored = await page.evaluate(() => JSON.stringify({ ...localStorage }));
  assert.ok(secrets.size >= 6, `the secrets seen: ${secrets.size}`);
  for (const secret of [...secrets, key]) assert.ok(!stored.includes(secret), `localStorage holds ${secret.slice(0, 4)}…`);
  assert.match(stored, new RegExp(READ_ONLY));
  await page.reload();
  await page.check('input[name=credentialsWay][value=sso]');
  assert.equal(await page.inputValue('[name=ssoStartUrl]'), START_URL);
  assert.equal(await page.inputValue('[name=ssoRegion]'), 'us-east-1');
  await page.fill('[name=endpointUrl]', suite.emu.endpoint);
  await page.click('[data-testid=sso-start]');
  const again = (await page.textContent('[data-testid=sso-user-code]')).trim();
  await ssoDevice(suite.emu, { userCode: again });
  await page.waitForSelector(`select[name=ssoRole] option[value=${READ_ONLY}]`, { state: 'attached' });
  assert.equal(await page.inputValue('select[name=ssoAccount]'), ACCOUNT);
  assert.equal(await page.inputValue('select[name=ssoRole]'), READ_ONLY);
  assert.deepEqual(suite.app.pageErrors, []);
});

test('through a relay with a fixed upstream, "Sign in" says it needs the {host} form, and sends nothing', async () => {
  const { page } = await openSignIn(suite.emu.appUrl);
  const sent = [];
  page.on('request', (r) => sent.push(r.url()));
  await page.selectOption('select[name=sendVia]', 'relay');
  await page.fill('[name=relayUrl]', '/aws');
  await page.fill('[name=ssoStartUrl]', START_URL);
  await page.fill('[name=ssoRegion]', 'us-east-1');
  await page.click('[data-testid=sso-start]');
  await until(async () => (await notice(page)).includes('{host}'), 'the refusal');
  assert.match(await notice(page), /^Signing in with IAM Identity Center goes to its hosts \(oidc\.<region>… and portal\.sso\.<region>…\).*the relay URL's \{host\} form/);
  assert.equal(await state(page), 'signed-out');
  assert.deepEqual(sent.filter((url) => /\/aws\/|oidc|portal|client\/register/.test(url)), [], 'nothing was sent');
  assert.equal(await page.inputValue('[name=ssoStartUrl]'), START_URL, 'the form is kept');
});
