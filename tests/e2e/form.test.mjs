// The console page (issue "console page"): filling the form by control name
// and sending it to the emulator, importing a request with every union
// branch, blocking invalid input before anything is sent, and reporting
// invalid JSON where it is.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  useEmulatorSuite, openConsole, reset, requests, runtime, boto, submit, waitForOutcome,
  exportForm, putRequests,
} from './harness.mjs';

const suite = useEmulatorSuite();

/** A fresh page with credentials pasted and the emulator as endpoint. */
const freshPage = () => openConsole(suite);

/** The element the control's aria-describedby points to first (its error text). */
async function describedErrorText(page, name) {
  return page.locator(`[name="${name}"]`).evaluate((el) => {
    const ids = (el.getAttribute('aria-describedby') || '').split(/\s+/).filter(Boolean);
    return ids.map((id) => document.getElementById(id)?.textContent || '').join(' ').trim();
  });
}

test('filling the form by control name and sending updates the runtime', async () => {
  const page = await freshPage();
  const uri = '123456789012.dkr.ecr.us-east-1.amazonaws.com/e2e-agent:2.0.0';
  const role = 'arn:aws:iam::123456789012:role/E2EUpdatedRole';

  await page.fill('[name=agentRuntimeId]', suite.runtimeId);
  await page.selectOption('select[name=agentRuntimeArtifact]', 'containerConfiguration');
  await page.fill('[name="agentRuntimeArtifact.containerConfiguration.containerUri"]', uri);
  await page.fill('[name=roleArn]', role);
  await page.click('[data-expand=protocolConfiguration]');
  await page.selectOption('select[name="protocolConfiguration.serverProtocol"]', 'MCP');
  await page.click('[data-add=environmentVariables]');
  await page.click('[data-add=environmentVariables]');
  await page.fill('[name="environmentVariables.0.key"]', 'STAGE');
  await page.fill('[name="environmentVariables.0.value"]', 'e2e');
  await page.fill('[name="environmentVariables.1.key"]', 'LOG_LEVEL');
  await page.fill('[name="environmentVariables.1.value"]', 'debug');
  // env values are sensitive: masked until revealed
  assert.equal(await page.getAttribute('[name="environmentVariables.0.value"]', 'type'), 'password');

  await submit(page);
  const { outcome, code } = await waitForOutcome(page);
  assert.equal(outcome, 'success', `error code ${code}`);
  assert.equal(await page.textContent('[data-testid=out-id]'), suite.runtimeId);
  assert.match(await page.textContent('[data-testid=out-arn]'), /^arn:aws:bedrock-agentcore:us-east-1:\d{12}:/);
  assert.match(await page.textContent('[data-testid=out-version]'), /^\d+$/);
  assert.match(await page.textContent('[data-testid=out-status]'), /^(UPDATING|READY)$/);
  assert.ok((await page.textContent('[data-testid=out-updated]')).trim().length > 0);
  assert.match(await page.textContent('[data-testid=request-id]'), /\S/);

  // what the emulator stored
  const stored = await runtime(suite.emu, suite.runtimeId);
  assert.equal(stored.agentRuntimeArtifact.containerConfiguration.containerUri, uri);
  assert.equal(stored.roleArn, role);
  assert.deepEqual(stored.environmentVariables, { STAGE: 'e2e', LOG_LEVEL: 'debug' });
  assert.equal(stored.protocolConfiguration.serverProtocol, 'MCP');
  // the update replaces the configuration: members left empty were cleared
  assert.equal(stored.description, null);
  assert.equal(stored.lifecycleConfiguration, null);

  // and what the reference client sees
  const got = await boto(suite.emu, `
c = session.client("bedrock-agentcore-control", endpoint_url=endpoint, region_name=region)
r = c.get_agent_runtime(agentRuntimeId=args["id"])
print(json.dumps({"uri": r["agentRuntimeArtifact"]["containerConfiguration"]["containerUri"],
                  "role": r["roleArn"], "env": r.get("environmentVariables")}))
`, { id: suite.runtimeId });
  assert.deepEqual(got, { uri, role, env: { STAGE: 'e2e', LOG_LEVEL: 'debug' } });

  const puts = await putRequests(suite.emu);
  assert.equal(puts.length, 1);
  assert.equal(puts[0].path, `/runtimes/${suite.runtimeId}/`);
  assert.deepEqual(suite.app.pageErrors, []);
});

// ---------------------------------------------------------------------------
// Import

const MAPS = /(^|\.)(environmentVariables|advertisedScopeMapping|tags)$/;
const UNIONS = /(^|\.)(agentRuntimeArtifact|code|authorizerConfiguration|claimMatchValue|privateEndpoint|selfManagedLatticeResource|requestHeaderConfiguration|operatingSystemConfiguration|action|filesystemConfigurations\.\d+|certificateConfigurations\.\d+|allowedPorts\.\d+)$/;

/**
 * Control name -> expected control value, for a request JSON. Map members go
 * to `maps` (path -> object): their entries are rows `path.N.key`/`path.N.value`
 * in an order JSON does not fix.
 */
function expectedControls(value, path = '', out = new Map(), maps = new Map()) {
  const join = (p, s) => (p ? `${p}.${s}` : String(s));
  if (Array.isArray(value)) {
    value.forEach((v, i) => expectedControls(v, join(path, i), out, maps));
  } else if (value !== null && typeof value === 'object') {
    if (MAPS.test(path)) {
      maps.set(path, Object.fromEntries(Object.entries(value).map(([k, v]) => [k, String(v)])));
    } else {
      if (UNIONS.test(path)) {
        const keys = Object.keys(value);
        assert.equal(keys.length, 1, `test data: union ${path} must set one member`);
        out.set(path, keys[0]);
      }
      for (const [k, v] of Object.entries(value)) expectedControls(v, join(path, k), out, maps);
    }
  } else {
    out.set(path, String(value));
  }
  return { controls: out, maps };
}

function fullRequest(id) {
  return {
    agentRuntimeId: id,
    agentRuntimeArtifact: {
      codeConfiguration: {
        code: { s3: { bucket: 'agent-code-bucket', prefix: 'agents/app.zip', versionId: 'v-123' } },
        runtime: 'PYTHON_3_12',
        entryPoint: ['main.py', '--serve'],
      },
    },
    roleArn: 'arn:aws:iam::123456789012:role/AgentRuntimeRole',
    networkConfiguration: {
      networkMode: 'VPC',
      networkModeConfig: {
        securityGroups: ['sg-0123456789abcdef0'],
        subnets: ['subnet-0123456789abcdef0', 'subnet-0fedcba9876543210'],
        requireServiceS3Endpoint: true,
      },
    },
    description: 'Imported by the e2e test',
    authorizerConfiguration: {
      customJWTAuthorizer: {
        discoveryUrl: 'https://idp.example.com/.well-known/openid-configuration',
        allowedAudience: ['aud-1'],
        allowedClients: ['client-1', 'client-2'],
        allowedScopes: ['read'],
        advertisedScopeMapping: { read: 'agent.read' },
        customClaims: [
          {
            inboundTokenClaimName: 'groups',
            inboundTokenClaimValueType: 'STRING_ARRAY',
            authorizingClaimMatchValue: {
              claimMatchValue: { matchValueStringList: ['admins', 'devs'] },
              claimMatchOperator: 'CONTAINS_ANY',
            },
          },
          {
            inboundTokenClaimName: 'tier',
            inboundTokenClaimValueType: 'STRING',
            authorizingClaimMatchValue: {
              claimMatchValue: { matchValueString: 'gold' },
              claimMatchOperator: 'EQUALS',
            },
          },
        ],
        privateEndpoint: {
          managedVpcResource: {
            vpcIdentifier: 'vpc-0123456789abcdef0',
            subnetIds: ['subnet-0123456789abcdef0'],
            endpointIpAddressType: 'IPV4',
            securityGroupIds: ['sg-0123456789abcdef0'],
            tags: { team: 'agents', env: 'test' },
            routingDomain: 'internal.example.com',
          },
        },
        privateEndpointOverrides: [
          {
            domain: 'api.example.com',
            privateEndpoint: { selfManagedLatticeResource: { resourceConfigurationIdentifier: 'rcfg-0123456789abcdef0' } },
          },
        ],
        certificateConfigurations: [
          { secretsManager: { secretArn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:ca-bundle-AbCdEf' } },
        ],
        allowedWorkloadConfiguration: {
          hostingEnvironments: [{ arn: 'arn:aws:bedrock-agentcore:us-east-1:123456789012:runtime/other-0123456789' }],
          workloadIdentities: ['workload-1'],
        },
      },
    },
    requestHeaderConfiguration: {
      requestHeaderAllowlist: ['X-Amzn-Bedrock-AgentCore-Runtime-Custom-Tenant', 'Authorization'],
    },
    protocolConfiguration: { serverProtocol: 'MCP', port: 8080, path: '/mcp' },
    lifecycleConfiguration: { idleRuntimeSessionTimeout: 600, maxLifetime: 3600 },
    hooksConfiguration: { build: { warmup: { action: { httpPost: { path: '/warmup', port: 8081 } } } } },
    metadataConfiguration: { requireMMDSV2: false },
    environmentVariables: { LOG_LEVEL: 'info', MODEL_ID: 'model-a' },
    filesystemConfigurations: [
      { sessionStorage: { mountPath: '/mnt/session' } },
      {
        efsAccessPoint: {
          accessPointArn: 'arn:aws:elasticfilesystem:us-east-1:123456789012:access-point/fsap-0123456789abcdef0',
          mountPath: '/mnt/efs',
        },
      },
      {
        s3BucketMount: {
          bucket: 'mount-bucket', mountPath: '/mnt/s3', prefix: 'data/', s3BucketOwner: '123456789012', s3BucketRegion: 'us-east-1',
        },
      },
      { capacityProviderVolume: { volumeName: 'scratch', mountPath: '/mnt/scratch' } },
      {
        s3FilesAccessPoint: {
          accessPointArn:
            'arn:aws:s3files:us-east-1:123456789012:file-system/fs-0123456789abcdef01/access-point/fsap-0123456789abcdef01',
          mountPath: '/mnt/files',
        },
      },
    ],
    capacityProviderConfiguration: {
      capacityProviderArn: 'arn:aws:bedrock-agentcore:us-east-1:123456789012:capacity-provider/provider_a-0123456789',
      operatingSystemConfiguration: { linux: { privilegeMode: 'PRIVILEGED' } },
    },
    platformVersion: '2025.1',
    allowedPorts: [{ port: 9000 }, { portRange: { from: 9100, to: 9200 } }],
    resourceConfigurations: [{ minimumMemoryInMiB: 2048 }],
  };
}

test('importing a request with every union branch fills the named controls', async () => {
  const page = await freshPage();
  const request = fullRequest(suite.runtimeId);
  const withUnknown = structuredClone(request);
  withUnknown.notAMember = 'x';
  withUnknown.protocolConfiguration.bogus = true;
  withUnknown.filesystemConfigurations[0].sessionStorage.extra = 1;

  await page.fill('textarea[name=requestJson]', JSON.stringify(withUnknown, null, 2));
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  const messages = page.locator('[data-testid=import-messages]');
  await messages.getByText('notAMember').waitFor();
  const text = await messages.textContent();
  for (const unknown of ['notAMember', 'protocolConfiguration.bogus', 'filesystemConfigurations.0.sessionStorage.extra']) {
    assert.ok(text.includes(unknown), `import messages list the unknown member ${unknown}: ${text}`);
  }

  const { controls: expected, maps } = expectedControls(request);
  assert.ok(expected.size > 60, `test data covers many controls (${expected.size})`);
  const actual = await page.evaluate((names) => {
    const out = {};
    for (const name of names) {
      const els = document.querySelectorAll(`[name="${CSS.escape(name)}"]`);
      out[name] = els.length === 1 ? { value: els[0].value, tag: els[0].tagName } : { count: els.length };
    }
    return out;
  }, [...expected.keys()]);
  const wrong = [];
  for (const [name, value] of expected) {
    const got = actual[name];
    if (got.count !== undefined) wrong.push(`${name}: ${got.count} controls`);
    else if (got.value !== value) wrong.push(`${name}: ${JSON.stringify(got.value)} != ${JSON.stringify(value)}`);
    else if (UNIONS.test(name) && got.tag !== 'SELECT') wrong.push(`${name}: union choice is a ${got.tag}`);
  }
  assert.deepEqual(wrong, []);
  for (const [path, entries] of maps) {
    const rows = await page.evaluate((p) => {
      const out = {};
      for (let i = 0; document.querySelector(`[name="${CSS.escape(`${p}.${i}.key`)}"]`); i += 1) {
        const key = document.querySelector(`[name="${CSS.escape(`${p}.${i}.key`)}"]`).value;
        out[key] = document.querySelector(`[name="${CSS.escape(`${p}.${i}.value`)}"]`)?.value;
      }
      return out;
    }, path);
    assert.deepEqual(rows, entries, `map rows of ${path}`);
  }

  // booleans and enums are selects
  assert.equal(actual['networkConfiguration.networkModeConfig.requireServiceS3Endpoint'].tag, 'SELECT');
  assert.equal(actual['metadataConfiguration.requireMMDSV2'].tag, 'SELECT');
  assert.equal(actual['agentRuntimeArtifact.codeConfiguration.runtime'].tag, 'SELECT');
  // sensitive members are masked
  assert.equal(await page.getAttribute('[name=description]', 'type'), 'password');
  assert.equal(await page.getAttribute('[name="environmentVariables.1.value"]', 'type'), 'password');

  // the import is a valid request: the form round-trips to the same JSON
  assert.deepEqual(await exportForm(page), request);
  assert.notEqual(await page.locator('[name=description]').evaluate((e) => e.type), 'password', 'revealed');
  assert.equal(await page.inputValue('[name=description]'), request.description);
  assert.equal(await page.locator('[aria-invalid=true]').count(), 0);
  assert.deepEqual(suite.app.pageErrors, []);
});

test('an invalid value blocks sending and nothing reaches the emulator', async () => {
  const page = await freshPage();
  await page.fill('[name=agentRuntimeId]', suite.runtimeId);
  await page.selectOption('select[name=agentRuntimeArtifact]', 'containerConfiguration');
  await page.fill('[name="agentRuntimeArtifact.containerConfiguration.containerUri"]',
    '123456789012.dkr.ecr.us-east-1.amazonaws.com/e2e-agent:1');
  await page.fill('[name=roleArn]', 'MyRole');
  // flagged once the field is left
  await page.locator('[name=roleArn]').blur();
  await page.waitForSelector('[name=roleArn][aria-invalid=true]');
  const fieldError = await describedErrorText(page, 'roleArn');
  assert.ok(fieldError.length > 0, 'the error text is referenced by aria-describedby');
  assert.match(fieldError, /arn|role|pattern|format/i);
  await reset(suite.emu);

  await submit(page);
  const reason = page.locator('[data-testid=blocked-reason]');
  await reason.waitFor();
  assert.match(await reason.textContent(), /Nothing was sent/i);
  const summary = page.locator('[data-testid=error-summary]');
  const link = summary.locator('a', { hasText: 'roleArn' });
  assert.equal(await link.count(), 1, await summary.textContent());
  // the summary link leads to the field
  await link.click();
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('name')), 'roleArn');
  assert.equal(await page.locator('[data-testid=result]').getAttribute('data-outcome'), null);

  await page.waitForTimeout(500);
  const log = await requests(suite.emu);
  assert.deepEqual(log.filter((r) => r.method === 'PUT'), [], 'no PUT was sent');
  assert.deepEqual(log.filter((r) => r.path.startsWith('/runtimes')), [], 'nothing about the runtime was sent');

  // fixing the value clears the mark
  await page.fill('[name=roleArn]', 'arn:aws:iam::123456789012:role/MyRole');
  await page.waitForSelector('[name=roleArn][aria-invalid=false]');
  assert.deepEqual(suite.app.pageErrors, []);
});

test('importing invalid JSON says the line and column', async () => {
  const page = await freshPage();
  await page.fill('[name=roleArn]', 'arn:aws:iam::123456789012:role/Kept');
  // line 3 has a trailing comma before "}" on line 4 → the error is at line 4, column 1
  const broken = '{\n  "agentRuntimeId": "x-0123456789",\n  "roleArn": "arn:aws:iam::123456789012:role/R",\n}';
  await page.fill('textarea[name=requestJson]', broken);
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  const messages = page.locator('[data-testid=import-messages]');
  await messages.getByText(/line/i).waitFor();
  const text = await messages.textContent();
  assert.match(text, /line 4\b/i, text);
  assert.match(text, /column 1\b/i, text);

  const second = '{"agentRuntimeId": "x-0123456789" "roleArn": 1}';
  await page.fill('textarea[name=requestJson]', second);
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await messages.getByText(/column 35\b/).waitFor();
  assert.match(await messages.textContent(), /line 1\b/i);

  // nothing was imported: the form keeps what was there
  assert.equal(await page.inputValue('[name=roleArn]'), 'arn:aws:iam::123456789012:role/Kept');
  assert.equal(await page.inputValue('[name=agentRuntimeId]'), '');
  assert.deepEqual(suite.app.pageErrors, []);
});
