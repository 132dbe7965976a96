// IAM Identity Center through the `{host}` relay (issue 22): Debian's nginx
// with the repo's deploy/nginx.conf (harness.mjs startNginx, upstream
// pointed at the emulator) forwards `/aws/oidc.<region>…/…` and
// `/aws/portal.sso.<region>…/…` with the AWS host as `Host`, and the portal's
// bearer header `x-amz-sso_bearer_token` (a name with an underscore, which
// nginx drops unless told otherwise) reaches the emulator. No page: the
// calls are made as the console will make them, with fetch, against a stub
// site, so this file needs no release build.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startEmulator, startNginx, ssoDevice, sso, requests, reset, boto } from './harness.mjs';

const OIDC = 'oidc.us-east-1.amazonaws.com';
const PORTAL = 'portal.sso.us-east-1.amazonaws.com';
const CONTROL = 'bedrock-agentcore-control.us-east-1.amazonaws.com';
const START_URL = 'https://d-1234567890.awsapps.com/start';
let emu;
let relay;
let site;

before(async () => {
  site = mkdtempSync(path.join(os.tmpdir(), 'sso-relay-site-'));
  writeFileSync(path.join(site, 'index.html'), '<!doctype html><title>stub</title>');
  emu = await startEmulator({ staticDir: null });
  relay = await startNginx(emu, { dist: site, hosts: [OIDC, PORTAL, CONTROL] });
});
after(async () => {
  await relay?.stop();
  await emu?.stop();
  if (site) rmSync(site, { recursive: true, force: true });
});

/** A call through the relay to `host`: [status, x-amzn-ErrorType, JSON body or null]. */
async function relayed(host, method, pathAndQuery, { body, headers = {} } = {}) {
  const res = await fetch(`${relay.origin}/aws/${host}${pathAndQuery}`, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return [res.status, res.headers.get('x-amzn-errortype'), text ? JSON.parse(text) : null];
}

test('the device-code sign-in, the portal and sign-out go through the relay to their own hosts', async () => {
  await reset(emu);
  const [, , client] = await relayed(OIDC, 'POST', '/client/register', {
    body: { clientName: 'agentcore-console', clientType: 'public', scopes: ['sso:account:access'] },
  });
  const secret = { clientId: client.clientId, clientSecret: client.clientSecret };
  const [status, , device] = await relayed(OIDC, 'POST', '/device_authorization', { body: { ...secret, startUrl: START_URL } });
  assert.equal(status, 200);
  const poll = { ...secret, grantType: 'urn:ietf:params:oauth:grant-type:device_code', deviceCode: device.deviceCode };
  assert.deepEqual(await relayed(OIDC, 'POST', '/token', { body: poll }), [
    400, 'AuthorizationPendingException', { error: 'authorization_pending', error_description: 'Authorization is still pending' },
  ]);
  await ssoDevice(emu, { userCode: device.userCode });
  await new Promise((resolve) => setTimeout(resolve, device.interval * 1000));
  const [tokenStatus, , token] = await relayed(OIDC, 'POST', '/token', { body: poll });
  assert.equal(tokenStatus, 200);
  const bearer = { 'x-amz-sso_bearer_token': token.accessToken };

  const [listed, , accounts] = await relayed(PORTAL, 'GET', '/assignment/accounts?max_result=1', { headers: bearer });
  assert.equal(listed, 200, 'the bearer header went through');
  assert.equal(accounts.accountList.length, 1);
  const [, , rest] = await relayed(PORTAL, 'GET', `/assignment/accounts?max_result=1&next_token=${encodeURIComponent(accounts.nextToken)}`, { headers: bearer });
  assert.equal(rest.accountList.length, 1);
  const [, , roles] = await relayed(PORTAL, 'GET', '/assignment/roles?account_id=123456789012', { headers: bearer });
  assert.ok(roles.roleList.some((r) => r.roleName === 'AgentCoreOperator'));
  const [, , { roleCredentials: creds }] = await relayed(
    PORTAL, 'GET', '/federation/credentials?role_name=AgentCoreOperator&account_id=123456789012', { headers: bearer });
  assert.match(creds.accessKeyId, /^ASIA/);

  // the role credentials sign a control-plane call that goes through the relay too
  const listedWithRole = await boto(emu, `
import urllib.request
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
c = args["creds"]
req = AWSRequest(method="POST", url="https://${CONTROL}/runtimes/", data=b"", headers={"Content-Type": "application/json"})
SigV4Auth(Credentials(c["accessKeyId"], c["secretAccessKey"], c["sessionToken"]), "bedrock-agentcore", "us-east-1").add_auth(req)
headers = {k: v for k, v in req.headers.items() if k.lower() != "host"}
sent = urllib.request.Request(args["url"], data=b"", method="POST", headers=headers)
with urllib.request.urlopen(sent, timeout=30) as r:
    print(json.dumps(r.status))
`, { creds, url: `${relay.origin}/aws/${CONTROL}/runtimes/` });
  assert.equal(listedWithRole, 200);

  const [loggedOut] = await relayed(PORTAL, 'POST', '/logout', { headers: bearer });
  assert.equal(loggedOut, 200);
  const [after401, type] = await relayed(PORTAL, 'GET', '/assignment/accounts', { headers: bearer });
  assert.deepEqual([after401, type], [401, 'UnauthorizedException']);

  const seen = await requests(emu);
  assert.deepEqual(
    seen.map((r) => [r.headers.host, r.outcome]),
    [
      [OIDC, 'sso:RegisterClient'], [OIDC, 'sso:StartDeviceAuthorization'],
      [OIDC, 'sso:CreateToken:AuthorizationPendingException'], [OIDC, 'sso:CreateToken'],
      [PORTAL, 'sso:ListAccounts'], [PORTAL, 'sso:ListAccounts'], [PORTAL, 'sso:ListAccountRoles'],
      [PORTAL, 'sso:GetRoleCredentials'], [CONTROL, 'forwarded'], [PORTAL, 'sso:Logout'],
      [PORTAL, 'sso:ListAccounts:UnauthorizedException'],
    ],
  );
  assert.equal(seen[8].accessKeyId, creds.accessKeyId, 'the log names the key that signed');
  assert.deepEqual((await sso(emu)).accessTokens.map((t) => t.valid), [false]);
});

test('an Identity Center path sent to another allowed host is not Identity Center\'s', async () => {
  await reset(emu);
  const [status, type] = await relayed(CONTROL, 'POST', '/client/register', { body: { clientName: 'x', clientType: 'public' } });
  assert.equal(status, 403);
  assert.match(type, /^MissingAuthenticationTokenException/);
  const [unknown, unknownType] = await relayed(OIDC, 'GET', '/assignment/accounts');
  assert.deepEqual([unknown, unknownType], [404, 'UnknownOperationException']);
});
