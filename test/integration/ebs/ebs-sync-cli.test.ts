import { describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/run-cli.js';
import { testServers } from '../../helpers/servers.js';

const servers = testServers();
const AWS_ENV = {
  AWS_ENDPOINT_URL: servers.awsEndpoint,
  AWS_REGION: 'eu-west-1',
  AWS_ACCESS_KEY_ID: 'testing',
  AWS_SECRET_ACCESS_KEY: 'testing',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
};
const BASE = [
  'ebs',
  'sync',
  '--volume',
  'vol-0123456789abcdef0',
  '--staging-instance',
  'i-0123456789abcdef0',
];
const lastJson = (text: string) => JSON.parse(text.trim().split('\n').at(-1)!) as { error: { code: string } };

describe('dbfork ebs sync refusals (real CLI)', () => {
  it('refuses a server that is a primary (FerretDB answers hello as one) before any AWS call', async () => {
    const run = await runCli(
      [
        ...BASE,
        '--secondary',
        servers.sourceUri,
        '--no-credentials',
        '--no-anonymize',
        '--dry-run',
        '--json',
      ],
      { env: AWS_ENV },
    );
    expect(run.code).toBe(8);
    expect(lastJson(run.stdout).error.code).toBe('EBS_MEMBER_IS_PRIMARY');
  });

  it('refuses to copy without --rules or --no-anonymize', async () => {
    const run = await runCli([...BASE, '--secondary', servers.sourceUri, '--json'], { env: AWS_ENV });
    expect(run.code).toBe(8);
    expect(lastJson(run.stdout).error.code).toBe('ANONYMIZATION_REQUIRED');
  });

  it('refuses a --secondary holding a password, and never prints it', async () => {
    const run = await runCli(
      [...BASE, '--secondary', 'mongodb://admin:hunter2-secret@10.0.2.12:27017/', '--no-anonymize', '--json'],
      { env: AWS_ENV },
    );
    expect(run.code).toBe(2);
    expect(run.stdout + run.stderr).not.toContain('hunter2-secret');
  });

  it('needs the source volume named one way', async () => {
    const run = await runCli(
      [
        'ebs',
        'sync',
        '--secondary',
        servers.sourceUri,
        '--staging-instance',
        'i-1',
        '--no-anonymize',
        '--json',
      ],
      { env: AWS_ENV },
    );
    expect(run.code).toBe(2);
    expect(lastJson(run.stdout).error.code).toBe('CONFIG_BAD_OPTION');
  });
});
