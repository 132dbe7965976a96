// End-to-end test harness: the local AWS emulator (emulator/server.py) serving
// a Trunk build, plus headless Chromium driven by playwright-core.
//
// Used by tests/e2e/*.test.mjs, run with `node --test tests/e2e/` (scripts/test.sh
// builds `dist/` first). Tools come from scripts/setup.sh: .venv (emulator),
// .tools/node_modules (playwright-core), /usr/bin/chromium.
//
//   import { startEmulator, launchBrowser, openPage } from './harness.mjs';
//   const emu = await startEmulator();            // dist/ under /tools/console/ with --csp
//   const relay = await startNginx(emu);          // deploy/nginx.conf relaying to emu (relay.test.mjs)
//   const browser = await launchBrowser();
//   const app = await openPage(browser, emu.appUrl);
//   ... app.page, app.pageErrors, app.consoleMessages, app.cspViolations ...
//   await app.close(); await browser.close(); await emu.stop();

import { before, after, beforeEach } from 'node:test';
import { spawn, execFile, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { copyFileSync, cpSync, existsSync, mkdtempSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
/** The release build under test (`E2E_DIST` overrides it, e.g. to try a deliberately broken build). */
export const DIST = process.env.E2E_DIST ? path.resolve(process.env.E2E_DIST) : path.join(ROOT, 'dist');
export const PYTHON = path.join(ROOT, '.venv', 'bin', 'python');
export const APP_PREFIX = '/tools/console/';
export const REGION = 'us-east-1';
/** The fixed long-term test key the emulator accepts (AWS documentation example key). */
export const TEST_KEY = Object.freeze({
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
});

const requireTool = createRequire(path.join(ROOT, '.tools', 'package.json'));

export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

const live = new Set();
process.on('exit', () => {
  for (const child of live) {
    try { child.kill('SIGKILL'); } catch { /* already gone */ }
  }
});

/**
 * Start emulator/server.py on free ports (proxy and static server).
 *
 * options: staticDir (default dist/; null for none), prefix (default /tools/console/),
 * csp (default true; a string: that policy instead of the built-in one), seed
 * (default true), devDefaults (path or undefined),
 * timeoutMs (default 60 s).
 * Returns { endpoint, staticUrl, appUrl, controlToken, stderr(), stop() }.
 * `controlToken` is a fresh random token the control API (`control()` below)
 * sends in `X-Emulator-Token`; the emulator answers nothing there without it.
 */
export async function startEmulator(options = {}) {
  const {
    staticDir = DIST,
    prefix = APP_PREFIX,
    csp = true,
    seed = true,
    devDefaults,
    timeoutMs = 60_000,
  } = options;
  if (!existsSync(PYTHON)) throw new Error(`${PYTHON} missing: run scripts/setup.sh`);
  if (staticDir && !existsSync(path.join(staticDir, 'index.html'))) {
    throw new Error(`${staticDir}/index.html missing: run \`trunk build --release\` first`);
  }
  const args = [path.join(ROOT, 'emulator', 'server.py'), '--port', '0'];
  if (seed) args.push('--seed');
  if (devDefaults) args.push('--dev-defaults', devDefaults);
  if (staticDir) args.push('--static-dir', staticDir, '--static-port', '0', '--static-prefix', prefix);
  if (csp) args.push('--csp');
  if (typeof csp === 'string') args.push('--csp-value', csp);

  const controlToken = randomBytes(24).toString('base64url');
  const child = spawn(PYTHON, args, {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, EMULATOR_CONTROL_TOKEN: controlToken },
  });
  live.add(child);
  const errLines = [];
  let out = '';
  let err = '';
  let endpoint;
  let staticUrl;
  let exited = null;

  const ready = new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error(`emulator not ready after ${timeoutMs} ms\n${errLines.slice(-30).join('\n')}`));
    }, timeoutMs);
    const check = () => {
      if (endpoint && (!staticDir || staticUrl)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const m = out.match(/emulator ready: (http:\/\/\S+)/);
      if (m) endpoint = m[1].replace(/\/$/, '');
      check();
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk) => {
      err += chunk;
      const lines = err.split('\n');
      err = lines.pop();
      for (const line of lines) {
        errLines.push(line);
        const m = line.match(/emulator static files: (http:\/\/\S+)/);
        if (m) staticUrl = m[1];
        if (process.env.E2E_VERBOSE) process.stderr.write(`[emulator] ${line}\n`);
      }
      check();
    });
    child.on('exit', (code, signal) => {
      live.delete(child);
      exited = { code, signal };
      clearTimeout(timer);
      reject(new Error(`emulator exited (${code ?? signal}) before ready\n${errLines.slice(-30).join('\n')}`));
    });
  });
  try {
    await ready;
  } catch (e) {
    child.kill('SIGKILL');
    throw e;
  }

  const emu = {
    endpoint,
    staticUrl,
    appUrl: staticUrl,
    controlToken,
    child,
    /** the emulator's stderr so far (request log, one line per request) */
    stderr: () => errLines.join('\n'),
    async stop() {
      if (exited) return;
      const done = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await done;
      clearTimeout(t);
    },
  };
  return emu;
}

/**
 * The set-up every e2e file shares: one emulator and one browser for the
 * file, the seeded runtime's id and temporary credentials from the
 * emulator's STS; before each test the emulator is reset and the previous
 * test's page closed. Returns the live state: `emu`, `browser`, `runtimeId`,
 * `creds`, and `app` (the page a test opens; the suite closes it).
 */
export function useEmulatorSuite() {
  const suite = { emu: null, browser: null, runtimeId: null, creds: null, app: null };
  before(async () => {
    suite.emu = await startEmulator();
    suite.browser = await launchBrowser();
    suite.runtimeId = await seededRuntimeId(suite.emu);
    suite.creds = await assumeRole(suite.emu);
  });
  after(async () => {
    await suite.app?.close();
    await suite.browser?.close();
    await suite.emu?.stop();
  });
  beforeEach(async () => {
    await suite.app?.close();
    suite.app = null;
    await reset(suite.emu);
  });
  return suite;
}

/**
 * The id of the first runtime (the one `--seed` created), listed with botocore.
 * Note: the ListAgentRuntimes call shows up in `requests(emu)` until `reset(emu)`.
 */
export async function seededRuntimeId(emu) {
  return boto(emu, `
c = session.client("bedrock-agentcore-control", endpoint_url=endpoint, region_name=region)
rts = c.list_agent_runtimes().get("agentRuntimes", [])
print(json.dumps(rts[0]["agentRuntimeId"] if rts else None))
`);
}

// ---------------------------------------------------------------------------
// Control API (/__emulator/...): the emulator's control token in
// X-Emulator-Token, loopback Host only, no CORS (see emulator/README.md).

async function control(emu, method, route, body) {
  const headers = { 'x-emulator-token': emu.controlToken };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${emu.endpoint}/__emulator/${route}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} /__emulator/${route} -> ${res.status}: ${text}`);
  return text ? JSON.parse(text) : null;
}

/** Queue canned responses: [{status, headers, body, delay_ms, drop, count, before_auth, match:{method, path_prefix}}]. */
export const injectResponses = (emu, responses) => control(emu, 'POST', 'inject', { responses });
/** Log of AWS requests the emulator received (authorization and token redacted). */
export const requests = (emu) => control(emu, 'GET', 'requests');
/** Read the config, or merge `patch` into it ({clock_offset_seconds, cors, ready_after_seconds, fail_next_update, fail_next_endpoint_update}). */
export const config = (emu, patch) =>
  patch === undefined ? control(emu, 'GET', 'config') : control(emu, 'POST', 'config', patch);
/** Clear the injected-response queue, the request log and the config. */
export const reset = (emu) => control(emu, 'POST', 'reset', {});
/** The stored runtime (cleared members are null). */
export const runtime = (emu, id) => control(emu, 'GET', `runtime/${encodeURIComponent(id)}`);
/** A bearer token for invoking runtime `id` when it has a custom JWT authorizer: {token, agentRuntimeId, expiresAt}. */
export const bearerToken = (emu, id, expiresInSeconds = 3600) =>
  control(emu, 'POST', 'bearer-token', { agentRuntimeId: id, expiresInSeconds });
/** Create another sample runtime; returns its id. */
export const seed = async (emu) => (await control(emu, 'POST', 'seed', {})).agentRuntimeId;
/** Approves (or, with `decision` 'deny', denies) a pending IAM Identity Center device code: `userCode`'s, or the latest. */
export const ssoDevice = (emu, { decision = 'approve', userCode } = {}) =>
  control(emu, 'POST', 'sso-device', { decision, ...(userCode ? { userCode } : {}) });
/** What the emulator's IAM Identity Center holds: device codes, access tokens, role credentials issued (no secrets). */
export const sso = (emu) => control(emu, 'GET', 'sso');

// ---------------------------------------------------------------------------
// botocore against the emulator (the reference AWS client).

/**
 * Run a snippet of Python with boto3 in the venv. The snippet sees `session`,
 * `endpoint`, `region`, `json`, `args` (the JSON-decoded `args` parameter) and
 * prints one JSON value, which is returned.
 */
export function boto(emu, snippet, args = null) {
  const program = `
import json, sys, boto3
endpoint, region = sys.argv[1], sys.argv[2]
args = json.loads(sys.argv[3])
session = boto3.session.Session(aws_access_key_id=${JSON.stringify(TEST_KEY.accessKeyId)},
    aws_secret_access_key=${JSON.stringify(TEST_KEY.secretAccessKey)}, region_name=region)
${snippet}
`;
  return new Promise((resolve, reject) => {
    execFile(
      PYTHON,
      ['-c', program, emu.endpoint, REGION, JSON.stringify(args)],
      { cwd: ROOT, timeout: 60_000, env: { ...process.env, AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null' } },
      (error, stdout, stderr) => {
        if (error) return reject(new Error(`boto snippet failed: ${error.message}\n${stderr}`));
        const last = stdout.trim().split('\n').pop();
        try {
          resolve(JSON.parse(last));
        } catch {
          reject(new Error(`boto snippet printed no JSON: ${stdout}\n${stderr}`));
        }
      },
    );
  });
}

/**
 * Update a runtime through the emulator with boto3, keeping its whole current
 * configuration except `patch`; returns the new version.
 */
export function botoUpdate(emu, id, patch = {}) {
  return boto(emu, `
c = session.client("bedrock-agentcore-control", endpoint_url=endpoint, region_name=region)
r = c.get_agent_runtime(agentRuntimeId=args["id"])
keep = {k: r[k] for k in ["agentRuntimeArtifact", "roleArn", "networkConfiguration", "description",
        "environmentVariables", "lifecycleConfiguration", "protocolConfiguration"] if k in r}
keep.update(args["patch"])
u = c.update_agent_runtime(agentRuntimeId=args["id"], **keep)
print(json.dumps(u["agentRuntimeVersion"]))
`, { id, patch });
}

/**
 * Fresh temporary credentials from the emulator's STS AssumeRole (signed with
 * the fixed test key). Returns { accessKeyId, secretAccessKey, sessionToken, expiration }.
 */
export function assumeRole(emu, { roleArn = 'arn:aws:iam::123456789012:role/AgentRuntimeConsoleE2E', sessionName = 'e2e', durationSeconds = 3600 } = {}) {
  return boto(emu, `
c = session.client("sts", endpoint_url=endpoint, region_name=region)
cr = c.assume_role(RoleArn=args["roleArn"], RoleSessionName=args["sessionName"],
                   DurationSeconds=args["durationSeconds"])["Credentials"]
print(json.dumps({"accessKeyId": cr["AccessKeyId"], "secretAccessKey": cr["SecretAccessKey"],
                  "sessionToken": cr["SessionToken"],
                  "expiration": cr["Expiration"].strftime("%Y-%m-%dT%H:%M:%SZ")}))
`, { roleArn, sessionName, durationSeconds });
}

// ---------------------------------------------------------------------------
// nginx with the repo's relay configuration (deploy/nginx.conf).

/** Debian's nginx (`NGINX` overrides it). */
export const NGINX = process.env.NGINX || '/usr/sbin/nginx';
/** The AWS host the console signs for in us-east-1, which the relay sends as Host. */
export const AWS_HOST = 'bedrock-agentcore-control.us-east-1.amazonaws.com';

/** A free TCP port on 127.0.0.1. */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Replaces the block between `# >>> name` and `# <<< name` (markers included); throws when it is not there once. */
function replaceMarked(text, name, replacement) {
  const re = new RegExp(`# >>> ${name}\\b[^\\n]*\\n[\\s\\S]*?# <<< ${name}\\n`, 'g');
  const found = text.match(re) || [];
  if (found.length !== 1) throw new Error(`deploy/nginx.conf: expected one "# >>> ${name}" … "# <<< ${name}" block, found ${found.length}`);
  return text.replace(re, `# (e2e: the ${name} block, replaced)\n${replacement}\n`);
}

/**
 * Run Debian's nginx, unprivileged-friendly (own prefix, pid, logs and temp
 * paths in a temp dir; a free port; `daemon off`), with deploy/nginx.conf as
 * it is in the repo except for its two marked blocks:
 * - `site`: listen on 127.0.0.1:<free port> over plain http, root = a temp dir
 *   whose tools/console/ is `dist` (the repo config serves the console there);
 * - `upstream`: instead of each AWS host on port 443, a local TLS endpoint (a
 *   self-signed certificate for `hosts`, trusted in place of the CA bundle;
 *   handshakes without one of those server names are refused) that hands
 *   each request, Host unchanged, to the emulator `emu`.
 * Everything else (the allowlist deploy/nginx-relay-hosts.map, locations,
 * headers, the Host and TLS settings of the relay) is the repo's. Options: dist (what to
 * serve, default dist/), csp (a policy to send instead of the repo's), hosts. Returns
 * { origin, appUrl, accessLog(), errorLog(), stop() }.
 */
export async function startNginx(emu, { dist = DIST, csp, timeoutMs = 20_000, hosts = [AWS_HOST] } = {}) {
  if (!existsSync(NGINX)) throw new Error(`${NGINX} missing: run scripts/setup.sh (Debian package nginx)`);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'agentcore-relay-'));
  const [port, tlsPort] = [await freePort(), await freePort()];
  const emulatorPort = new URL(emu.endpoint).port;
  mkdirSync(path.join(dir, 'root', 'tools'), { recursive: true });
  symlinkSync(dist, path.join(dir, 'root', 'tools', 'console'));
  for (const t of ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi', 'logs']) mkdirSync(path.join(dir, t));
  const cert = path.join(dir, 'upstream.pem');
  const key = path.join(dir, 'upstream.key');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-keyout', key, '-out', cert,
    '-subj', `/CN=${hosts[0]}`, '-addext', `subjectAltName=${hosts.map((h) => `DNS:${h}`).join(',')}`], { stdio: 'ignore' });
  copyFileSync(path.join(ROOT, 'deploy', 'nginx-relay-hosts.map'), path.join(dir, 'nginx-relay-hosts.map'));

  const repo = readFileSync(path.join(ROOT, 'deploy', 'nginx.conf'), 'utf8');
  const cspLine = /add_header Content-Security-Policy "[^"]*" always;/;
  if (csp !== undefined && !cspLine.test(repo)) throw new Error('deploy/nginx.conf: no Content-Security-Policy add_header line');
  const served = csp === undefined ? repo : repo.replace(cspLine, `add_header Content-Security-Policy "${csp}" always;`);
  let site = replaceMarked(served, 'site', `    listen 127.0.0.1:${port};\n    server_name localhost;\n    root ${dir}/root;`);
  site = replaceMarked(site, 'upstream', `resolver 127.0.0.1 valid=60s;
map $host $agentcore_scheme {
    default https;
}
map $relay_to $agentcore_upstream {
    default 127.0.0.1:${tlsPort};
}
proxy_ssl_trusted_certificate ${cert};
# stands in for the AWS endpoints: TLS with a certificate for ${hosts.join(', ')},
# only when the client names one of them (SNI), then the emulator
server {
    listen 127.0.0.1:${tlsPort} ssl default_server;
    ssl_reject_handshake on;
}
server {
    listen 127.0.0.1:${tlsPort} ssl;
    server_name ${hosts.join(' ')};
    underscores_in_headers on;  # as AWS does: x-amz-sso_bearer_token reaches the emulator
    ssl_certificate ${cert};
    ssl_certificate_key ${key};
    location / {
        proxy_pass http://127.0.0.1:${emulatorPort};
        proxy_set_header Host $http_host;
        proxy_http_version 1.1;
        proxy_set_header Connection "";
        proxy_buffering off;
    }
}`);
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  const conf = `# generated by tests/e2e/harness.mjs startNginx from deploy/nginx.conf
${root ? 'user root root;\n' : ''}daemon off;
master_process on;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/logs/error.log info;
events { worker_connections 64; }
http {
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    server_names_hash_bucket_size 128;  # the stand-in's long server name
    access_log ${dir}/logs/access.log;
    client_body_temp_path ${dir}/client_body;
    proxy_temp_path ${dir}/proxy;
    fastcgi_temp_path ${dir}/fastcgi;
    uwsgi_temp_path ${dir}/uwsgi;
    scgi_temp_path ${dir}/scgi;
${site}
}
`;
  const confPath = path.join(dir, 'nginx.conf');
  writeFileSync(confPath, conf);
  const child = spawn(NGINX, ['-p', dir, '-c', confPath, '-e', path.join(dir, 'logs', 'error.log')], {
    cwd: dir, stdio: ['ignore', 'pipe', 'pipe'],
  });
  live.add(child);
  let output = '';
  child.stdout.on('data', (c) => { output += c; });
  child.stderr.on('data', (c) => { output += c; });
  let exited = null;
  child.on('exit', (code, signal) => { live.delete(child); exited = { code, signal }; });
  const origin = `http://127.0.0.1:${port}`;
  const read = (file) => { try { return readFileSync(path.join(dir, 'logs', file), 'utf8'); } catch { return ''; } };
  const start = Date.now();
  for (;;) {
    if (exited) throw new Error(`nginx exited (${exited.code ?? exited.signal}):\n${output}\n${read('error.log')}\nconfig:\n${conf}`);
    try {
      const res = await fetch(`${origin}/tools/console/`);
      if (res.ok) break;
    } catch { /* not listening yet */ }
    if (Date.now() - start > timeoutMs) {
      child.kill('SIGKILL');
      throw new Error(`nginx not ready after ${timeoutMs} ms:\n${output}\n${read('error.log')}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    origin,
    appUrl: `${origin}/tools/console/`,
    config: conf,
    accessLog: () => read('access.log'),
    errorLog: () => read('error.log'),
    async stop() {
      if (!exited) {
        const done = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        const t = setTimeout(() => child.kill('SIGKILL'), 5_000);
        await done;
        clearTimeout(t);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

// ---------------------------------------------------------------------------
// A site configuration (docs/site-config.md) next to index.html.

/**
 * A copy of `dist` in a temp dir, to put a console-config.json next to its
 * index.html. Returns { dir, write(config), remove() }: `write` takes an
 * object (written as JSON) or a string (written as is); `remove` deletes the dir.
 */
export function siteDist(dist = DIST) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'agentcore-site-'));
  cpSync(dist, dir, { recursive: true });
  const file = path.join(dir, 'console-config.json');
  return {
    dir,
    write(config) {
      if (config === null) rmSync(file, { force: true });
      else writeFileSync(file, typeof config === 'string' ? config : JSON.stringify(config));
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

// ---------------------------------------------------------------------------
// Browser.

/** Launch the system Chromium headless (never downloads a browser). */
export async function launchBrowser(options = {}) {
  const { chromium } = requireTool('playwright-core');
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, ...options });
}

/**
 * Open `url` in a new context and page, recording what went wrong.
 *
 * Returns { page, context, consoleMessages, pageErrors, cspViolations,
 * failedRequests, errors(), close() }. `errors()` lists page errors, console
 * errors, CSP violations and failed requests as strings (empty when clean).
 * options: waitFor (selector to wait for, default 'h1'; null to skip),
 * timeoutMs (default 30 s), contextOptions.
 */
export async function openPage(browser, url, options = {}) {
  const { waitFor = 'h1', timeoutMs = 30_000, contextOptions = {} } = options;
  const context = await browser.newContext(contextOptions);
  const page = await context.newPage();
  page.setDefaultTimeout(timeoutMs);
  const consoleMessages = [];
  const pageErrors = [];
  const cspViolations = [];
  const failedRequests = [];
  page.on('console', (msg) => {
    const where = msg.location()?.url;
    consoleMessages.push({ type: msg.type(), text: where ? `${msg.text()} (${where})` : msg.text() });
    if (/Content Security Policy/i.test(msg.text())) cspViolations.push(msg.text());
  });
  page.on('pageerror', (e) => pageErrors.push(String(e && e.stack ? e.stack : e)));
  page.on('requestfailed', (req) => failedRequests.push(`${req.method()} ${req.url()}: ${req.failure()?.errorText}`));
  page.on('response', (res) => {
    if (res.status() >= 400) failedRequests.push(`${res.request().method()} ${res.url()}: HTTP ${res.status()}`);
  });
  await page.exposeBinding('__e2eCspViolation', (_src, v) => cspViolations.push(v));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      // eslint-disable-next-line no-undef
      window.__e2eCspViolation(`${e.violatedDirective} blocked ${e.blockedURI || '(inline)'} (${e.sourceFile || ''}:${e.lineNumber || ''})`);
    });
  });
  await page.goto(url, { waitUntil: 'load' });
  if (waitFor) {
    try {
      await page.waitForSelector(waitFor, { timeout: timeoutMs });
    } catch (e) {
      // say why the app did not render (panic, CSP, 404...) rather than just "timeout"
      const seen = [
        ...pageErrors.map((x) => `page error: ${x}`),
        ...consoleMessages.filter((m) => m.type === 'error' || m.type === 'warning').map((m) => `console ${m.type}: ${m.text}`),
        ...cspViolations.map((v) => `CSP: ${v}`),
        ...failedRequests.map((r) => `request: ${r}`),
      ];
      e.message += `\nwhile opening ${url}; the page reported:\n  ${seen.join('\n  ') || '(nothing)'}`;
      await context.close().catch(() => {});
      throw e;
    }
  }
  return {
    page,
    context,
    consoleMessages,
    pageErrors,
    cspViolations,
    failedRequests,
    errors: () => [
      ...pageErrors.map((e) => `page error: ${e}`),
      ...consoleMessages.filter((m) => m.type === 'error').map((m) => `console error: ${m.text}`),
      ...cspViolations.map((v) => `CSP: ${v}`),
      ...failedRequests.map((r) => `request: ${r}`),
    ],
    close: () => context.close(),
  };
}

// ---------------------------------------------------------------------------
// Page helpers for form.test.mjs and outcomes.test.mjs: drive the console only
// through its automation contract (control names, data-testid, data-*).

/** `aws sts assume-role` output for `creds` ({accessKeyId, secretAccessKey, sessionToken, expiration}). */
export function credentialsJson(creds) {
  return JSON.stringify({
    Credentials: {
      AccessKeyId: creds.accessKeyId,
      SecretAccessKey: creds.secretAccessKey,
      SessionToken: creds.sessionToken,
      Expiration: creds.expiration,
    },
  });
}

/** Pastes credentials and waits until the page parsed them (box emptied, masked key shown). */
export async function pasteCredentials(page, creds) {
  await page.fill('textarea[name=credentialsPaste]', credentialsJson(creds));
  await page.waitForSelector('[data-testid=masked-key]');
  await page.waitForFunction(() => document.querySelector('textarea[name=credentialsPaste]').value === '');
}

/**
 * Opens the console as `suite.app` (the suite closes it), pastes the suite's
 * credentials and sets the emulator as the custom endpoint; returns the page
 * once the endpoint is resolved.
 */
export async function openConsole(suite) {
  suite.app = await openPage(suite.browser, suite.emu.appUrl);
  const { page } = suite.app;
  await pasteCredentials(page, suite.creds);
  await page.fill('[name=endpointUrl]', suite.emu.endpoint);
  await page.waitForFunction(
    (url) => document.querySelector('[data-testid=resolved-endpoint]')?.textContent.includes(url),
    suite.emu.endpoint,
  );
  return page;
}

/**
 * Presses "Update agent runtime"; if the confirmation (`confirm-send`) shows
 * within `confirmWithinMs`, confirms. Returns true when it confirmed. (A
 * failed pre-flight asks too, after its retries: allow for them under load.)
 */
export async function submit(page, { confirmWithinMs = 20_000 } = {}) {
  await page.getByRole('button', { name: 'Update agent runtime' }).click();
  const start = Date.now();
  while (Date.now() - start < confirmWithinMs) {
    const state = await page.evaluate(() => {
      const confirm = document.querySelector('[data-testid=confirm-send]');
      if (confirm && confirm.offsetParent !== null) return 'confirm';
      const result = document.querySelector('[data-testid=result]');
      if (result?.hasAttribute('data-outcome') || document.querySelector('[data-testid=blocked-reason]')) return 'done';
      return 'wait';
    });
    if (state === 'confirm') {
      await page.click('[data-testid=confirm-send]');
      return true;
    }
    if (state === 'done' && Date.now() - start > 300) return false;
    await page.waitForTimeout(50);
  }
  return false;
}

/** Waits for the result panel's answer; returns {outcome, code}. */
export async function waitForOutcome(page, timeoutMs = 30_000) {
  const result = page.locator('[data-testid=result][data-outcome]');
  await result.waitFor({ timeout: timeoutMs });
  return {
    outcome: await result.getAttribute('data-outcome'),
    code: await result.getAttribute('data-error-code'),
  };
}

/** Reveals every sensitive member, exports the form ("Copy form as JSON") and returns the parsed JSON. */
export async function exportForm(page) {
  const hidden = page.locator('[data-reveal][aria-pressed=false]');
  for (let n = await hidden.count(); n > 0; n -= 1) await hidden.first().click();
  await page.getByRole('button', { name: 'Copy form as JSON' }).click();
  const text = await page.locator('textarea[name=exportJson]').inputValue();
  return JSON.parse(text);
}

/** The PUT /runtimes/... requests in the emulator's log. */
export async function putRequests(emu) {
  return (await requests(emu)).filter((r) => r.method === 'PUT' && r.path.startsWith('/runtimes/'));
}

/** The request the outcome and flow tests start from: the seeded runtime's configuration, changed a little. */
export function sampleRequest(runtimeId) {
  return {
    agentRuntimeId: runtimeId,
    agentRuntimeArtifact: {
      containerConfiguration: { containerUri: '123456789012.dkr.ecr.us-east-1.amazonaws.com/sample-agent:1.5.0' },
    },
    roleArn: 'arn:aws:iam::123456789012:role/AgentRuntimeRole',
    networkConfiguration: { networkMode: 'PUBLIC' },
    description: 'Sample agent runtime, updated by the e2e outcome tests',
    environmentVariables: { LOG_LEVEL: 'info', MODEL_ID: 'anthropic.claude-sonnet-4', FEATURE_FLAGS: 'streaming,tools' },
    lifecycleConfiguration: { idleRuntimeSessionTimeout: 900, maxLifetime: 28800 },
    protocolConfiguration: { serverProtocol: 'HTTP' },
  };
}

/**
 * Opens a page for a `useEmulatorSuite()` suite (kept in `suite.app`, which the
 * suite closes): credentials pasted (default the suite's assumed role), the
 * custom endpoint set (default the emulator), `request` imported (default
 * `sampleRequest`). Returns the page.
 */
export async function openReadyPage(suite, {
  credentials = suite.creds, endpoint = suite.emu.endpoint, contextOptions, request = sampleRequest(suite.runtimeId),
} = {}) {
  suite.app = await openPage(suite.browser, suite.emu.appUrl, contextOptions ? { contextOptions } : {});
  const { page } = suite.app;
  await pasteCredentials(page, credentials);
  await page.fill('[name=endpointUrl]', endpoint);
  await page.fill('textarea[name=requestJson]', JSON.stringify(request));
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await page.locator('[data-testid=import-messages]').getByText('Imported into the form.').waitFor();
  const shown = await page.inputValue('[name=agentRuntimeId]');
  if (shown !== (request.agentRuntimeId ?? '')) throw new Error(`imported agentRuntimeId is ${shown}`);
  return page;
}

/** Creates endpoint `name` of runtime `id` at `version` with boto3 through the emulator: its targetVersion. */
export function createEndpoint(emu, id, name, version) {
  return boto(emu, `
c = session.client("bedrock-agentcore-control", endpoint_url=endpoint, region_name=region)
r = c.create_agent_runtime_endpoint(agentRuntimeId=args["id"], name=args["name"], agentRuntimeVersion=args["version"])
print(json.dumps(r["targetVersion"]))
`, { id, name, version });
}

/** Waits (up to 15 s) until the emulator says runtime `id` is `status`. */
export async function waitForRuntime(emu, id, status = 'READY') {
  const start = Date.now();
  while ((await runtime(emu, id)).status !== status) {
    if (Date.now() - start > 15_000) throw new Error(`runtime ${id} never ${status}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Lists the runtimes, chooses `id` and loads its configuration (what the panel invokes). */
export async function pickAndLoad(page, id) {
  await page.getByRole('button', { name: 'List runtimes' }).click();
  await page.waitForSelector(`select[name=runtimePicker] option[value="${id}"]`, { state: 'attached' });
  await page.selectOption('select[name=runtimePicker]', id);
  await page.getByRole('button', { name: 'Load current configuration' }).click();
  await page.waitForFunction(
    (rid) => document.querySelector('[data-testid=picker-message]')?.textContent.includes(`of ${rid} `)
      && document.querySelector('[data-testid=invoke-runtime]')?.textContent.includes('InvokeAgentRuntime on arn:aws:bedrock-agentcore:'),
    id,
  );
}

/** Runs a program (a copied command, a script); resolves {code, stdout, stderr}, never rejects on a non-zero exit. */
export function runProgram(file, args, env) {
  return new Promise((resolve) => {
    execFile(file, args, { cwd: ROOT, env, timeout: 60_000, maxBuffer: 8 << 20 }, (error, stdout, stderr) => {
      resolve({ code: error ? (error.code ?? 1) : 0, stdout, stderr });
    });
  });
}

/** The environment a user's terminal would have: these credentials, no AWS config files. */
export function terminalEnv(creds) {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    AWS_ACCESS_KEY_ID: creds.accessKeyId,
    AWS_SECRET_ACCESS_KEY: creds.secretAccessKey,
    AWS_SESSION_TOKEN: creds.sessionToken,
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    AWS_EC2_METADATA_DISABLED: 'true',
  };
}
