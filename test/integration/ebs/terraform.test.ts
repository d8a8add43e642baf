import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { iamPolicyOf, type IamStatement } from '../../../src/ebs/iam-policy.js';
import { planEbsSync } from '../../../src/ebs/plan-ebs-sync.js';
import { REPO_ROOT, testTool } from '../../helpers/servers.js';
import { syncInput } from '../../unit/ebs/sync-input.js';

const TERRAFORM = join(REPO_ROOT, 'deploy', 'aws', 'terraform');
type Hcl = Record<string, unknown>;

function parse(file: string): Hcl {
  const python = testTool('PYTHON_HCL2_PYTHON');
  return JSON.parse(
    execFileSync(python, [join(REPO_ROOT, 'test', 'helpers', 'parse-hcl.py'), join(TERRAFORM, file)], {
      encoding: 'utf8',
    }),
  ) as Hcl;
}

/** The values the golden plan uses, for the example's references. */
const VALUES: Record<string, string> = {
  'aws_ssm_parameter.mongo_admin.arn': 'arn:aws:ssm:eu-west-1:123456789012:parameter/mongo/admin',
  'aws_ssm_parameter.mongo_admin_password.arn':
    'arn:aws:ssm:eu-west-1:123456789012:parameter/mongo/admin/password',
  'aws_ssm_document.mongo_restore.arn': 'arn:aws:ssm:eu-west-1:123456789012:document/mongo-restore',
  'local.partition': 'aws',
  'var.region': 'eu-west-1',
  'local.account': '123456789012',
  'aws_ebs_volume.hidden_data.id': 'vol-0source000000001',
  'var.staging_instance_id': 'i-0staging000000001',
};

/** An HCL string as python-hcl2 gives it (quoted literal or `${expr}`), references filled in. */
function value(text: string): string {
  const unquoted = /^".*"$/s.test(text) ? text.slice(1, -1) : text;
  return unquoted.replace(/\$\{([^}]+)\}/g, (_m, ref: string) => {
    const known = VALUES[ref.trim()];
    if (known === undefined) throw new Error(`no value for \${${ref}}`);
    return known;
  });
}

const block = (hcl: Hcl, kind: string, type: string, name: string): Hcl => {
  const found = (hcl[kind] as Hcl[]).find((b) => b[`"${type}"`] && (b[`"${type}"`] as Hcl)[`"${name}"`]);
  expect(found, `${kind} ${type}.${name}`).toBeDefined();
  return (found![`"${type}"`] as Hcl)[`"${name}"`] as Hcl;
};

describe('the Terraform example (parsed with python-hcl2: providers cannot be downloaded here)', () => {
  const main = parse('main.tf');

  it('parses, and holds the IAM role and policy, the SSM documents, the parameters, the hidden member and its volume', () => {
    for (const [type, name] of [
      ['aws_iam_role', 'dbfork_ebs_sync'],
      ['aws_iam_policy', 'dbfork_ebs_sync'],
      ['aws_ssm_document', 'mongo_snapshot'],
      ['aws_ssm_document', 'mongo_restore'],
      ['aws_ssm_document', 'replica_init'],
      ['aws_ssm_parameter', 'mongo_admin'],
      ['aws_ssm_parameter', 'mongo_admin_password'],
      ['aws_instance', 'hidden_member'],
      ['aws_ebs_volume', 'hidden_data'],
      ['aws_volume_attachment', 'hidden_data'],
    ])
      block(main, 'resource', type!, name!);
    expect(value(block(main, 'resource', 'aws_ssm_parameter', 'mongo_admin').type as string)).toBe(
      'SecureString',
    );
    expect(value(block(main, 'resource', 'aws_ssm_parameter', 'mongo_admin').name as string)).toBe(
      '/mongo/admin',
    );
    for (const file of ['versions.tf', 'variables.tf'])
      expect(Object.keys(parse(file)).length).toBeGreaterThan(0);
  });

  it('its sync policy equals the statements of dbfork ebs sync --iam-policy', () => {
    const document = block(main, 'data', 'aws_iam_policy_document', 'dbfork_ebs_sync');
    const statements = (document.statement as Hcl[]).map((s): IamStatement => {
      const conditions = (s.condition as Hcl[] | undefined) ?? [];
      const condition: Record<string, Record<string, string | string[]>> = {};
      for (const c of conditions) {
        const values = (c.values as string[]).map(value);
        (condition[value(c.test as string)] ??= {})[value(c.variable as string)] =
          values.length === 1 ? values[0]! : values;
      }
      return {
        Sid: value(s.sid as string),
        Effect: 'Allow',
        Action: (s.actions as string[]).map(value).sort(),
        Resource: (s.resources as string[]).map(value).sort(),
        ...(conditions.length > 0 ? { Condition: condition } : {}),
      };
    });
    const printed = iamPolicyOf(planEbsSync(syncInput())).Statement.map((s) => ({
      ...s,
      Action: [...s.Action].sort(),
      Resource: [...s.Resource].sort(),
    }));
    expect(statements).toEqual(printed);
    const golden = JSON.parse(
      readFileSync(join(REPO_ROOT, 'test', 'fixtures', 'ebs', 'sync-iam.golden.json'), 'utf8'),
    ) as {
      Statement: IamStatement[];
    };
    expect(statements.map((s) => s.Sid)).toEqual(golden.Statement.map((s) => s.Sid));
  });
});
