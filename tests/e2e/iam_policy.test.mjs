// docs/iam.md's commands, run against the emulator's IAM (moto, which checks
// a policy document's grammar): `aws iam create-policy` with
// deploy/iam-policy.json, then `aws iam attach-role-policy`, with the names
// and the ARN the doc shows. (The AWS CLI is not installed here: the same
// calls go through boto3, the library the CLI is built on.)

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT, startEmulator, boto } from './harness.mjs';

let emu;
before(async () => {
  emu = await startEmulator({ staticDir: null, seed: false });
});
after(async () => {
  await emu?.stop();
});

const doc = readFileSync(path.join(ROOT, 'docs', 'iam.md'), 'utf8').replace(/\\\n\s*/g, '');

/** The value of `--name VALUE` in the doc's `aws iam <command>` line. */
function option(command, name) {
  const line = doc.split('\n').find((l) => l.startsWith(`aws iam ${command} `));
  assert.ok(line, `docs/iam.md shows no \`aws iam ${command}\``);
  const m = line.match(new RegExp(`--${name} (\\S+)`));
  assert.ok(m, `\`aws iam ${command}\` has no --${name}: ${line}`);
  return m[1];
}

test('docs/iam.md: create-policy with deploy/iam-policy.json, then attach-role-policy', async () => {
  const policyName = option('create-policy', 'policy-name');
  const document = option('create-policy', 'policy-document');
  assert.equal(document, 'file://deploy/iam-policy.json');
  const roleName = option('attach-role-policy', 'role-name');
  const policyArn = option('attach-role-policy', 'policy-arn');
  const [created, attached] = await boto(emu, `
c = session.client("iam", endpoint_url=endpoint, region_name=region)
with open(args["file"]) as fh:
    policy = c.create_policy(PolicyName=args["policy"], PolicyDocument=fh.read())["Policy"]
trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
         "Principal": {"AWS": "arn:aws:iam::123456789012:root"}}]}
c.create_role(RoleName=args["role"], AssumeRolePolicyDocument=json.dumps(trust))
c.attach_role_policy(RoleName=args["role"], PolicyArn=args["arn"])
attached = c.list_attached_role_policies(RoleName=args["role"])["AttachedPolicies"]
print(json.dumps([policy["Arn"], [a["PolicyArn"] for a in attached]]))
`, { file: path.join(ROOT, document.slice('file://'.length)), policy: policyName, role: roleName, arn: policyArn });
  assert.equal(created, policyArn, 'the ARN the doc attaches is the one create-policy prints');
  assert.deepEqual(attached, [policyArn]);
});
