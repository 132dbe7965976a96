// The reference page of scripts/bench-browser.mjs: the console's first screen
// (credentials, region, runtime id, request, send) written the usual way in
// JavaScript: React 19 and the AWS SDK for JavaScript v3's
// @aws-sdk/client-bedrock-agentcore-control, bundled by ./build.mjs.
// Its controls carry the console's names and button texts, so that the
// benchmark's "interactive" test is the same code for both pages.
import { useState } from 'react';
import { createRoot } from 'react-dom/client';
import {
  BedrockAgentCoreControlClient,
  GetAgentRuntimeCommand,
  UpdateAgentRuntimeCommand,
} from '@aws-sdk/client-bedrock-agentcore-control';

const REGIONS = ['us-east-1', 'us-east-2', 'us-west-2', 'ap-south-1', 'ap-southeast-1', 'ap-southeast-2',
  'ap-northeast-1', 'eu-central-1', 'eu-west-1', 'eu-west-2', 'eu-west-3', 'eu-north-1'];

// `export AWS_ACCESS_KEY_ID=…` lines, or the JSON of `aws configure export-credentials`
function parseCredentials(text) {
  const out = {};
  try {
    const j = JSON.parse(text);
    return { accessKeyId: j.AccessKeyId, secretAccessKey: j.SecretAccessKey, sessionToken: j.SessionToken };
  } catch {
    for (const line of text.split('\n')) {
      const m = line.match(/^\s*(?:export\s+)?(AWS_[A-Z_]+)\s*=\s*"?([^"\s]*)"?/);
      if (!m) continue;
      if (m[1] === 'AWS_ACCESS_KEY_ID') out.accessKeyId = m[2];
      if (m[1] === 'AWS_SECRET_ACCESS_KEY') out.secretAccessKey = m[2];
      if (m[1] === 'AWS_SESSION_TOKEN') out.sessionToken = m[2];
    }
    return out;
  }
}

function App() {
  const [paste, setPaste] = useState('');
  const [creds, setCreds] = useState({ accessKeyId: '', secretAccessKey: '', sessionToken: '' });
  const [region, setRegion] = useState('us-east-1');
  const [runtimeId, setRuntimeId] = useState('');
  const [request, setRequest] = useState('{\n  "agentRuntimeId": ""\n}');
  const [result, setResult] = useState(null);
  const [busy, setBusy] = useState(false);

  const client = () => new BedrockAgentCoreControlClient({ region, credentials: creds });
  const run = async (command) => {
    setBusy(true);
    try {
      setResult({ ok: await client().send(command) });
    } catch (e) {
      setResult({ error: `${e.name}: ${e.message}` });
    } finally {
      setBusy(false);
    }
  };
  const get = () => run(new GetAgentRuntimeCommand({ agentRuntimeId: runtimeId }));
  const update = () => {
    let input;
    try {
      input = JSON.parse(request);
    } catch (e) {
      setResult({ error: `request: ${e.message}` });
      return;
    }
    run(new UpdateAgentRuntimeCommand({ ...input, agentRuntimeId: runtimeId || input.agentRuntimeId }));
  };
  const field = (name, label, type = 'text') => (
    <>
      <label htmlFor={name}>{label}</label>
      <input id={name} name={name} type={type} autoComplete="off" value={creds[name]}
        onChange={(e) => setCreds({ ...creds, [name]: e.target.value })} />
    </>
  );

  return (
    <main>
      <h1>AgentCore console</h1>
      <section>
        <h2>Credentials</h2>
        <label htmlFor="credentialsPaste">Paste credentials</label>
        <textarea id="credentialsPaste" name="credentialsPaste" value={paste}
          onChange={(e) => { setPaste(e.target.value); setCreds({ ...creds, ...parseCredentials(e.target.value) }); }} />
        {field('accessKeyId', 'Access key ID')}
        {field('secretAccessKey', 'Secret access key', 'password')}
        {field('sessionToken', 'Session token', 'password')}
        <label htmlFor="region">Region</label>
        <select id="region" name="region" value={region} onChange={(e) => setRegion(e.target.value)}>
          {REGIONS.map((r) => <option key={r} value={r}>{r}</option>)}
        </select>
      </section>
      <section>
        <h2>Agent runtime</h2>
        <label htmlFor="agentRuntimeId">Runtime ID</label>
        <input id="agentRuntimeId" name="agentRuntimeId" value={runtimeId} onChange={(e) => setRuntimeId(e.target.value)} />
        <button type="button" disabled={busy} onClick={get}>Load current configuration</button>
        <label htmlFor="requestJson">Request (UpdateAgentRuntime JSON)</label>
        <textarea id="requestJson" name="requestJson" value={request} onChange={(e) => setRequest(e.target.value)} />
        <button type="button" disabled={busy} onClick={update}>Update agent runtime</button>
      </section>
      {result && (result.error
        ? <p className="error" role="alert">{result.error}</p>
        : <pre>{JSON.stringify(result.ok, null, 2)}</pre>)}
    </main>
  );
}

createRoot(document.getElementById('root')).render(<App />);
