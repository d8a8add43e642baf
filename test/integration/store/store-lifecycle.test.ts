import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CreateBucketCommand,
  GetBucketLifecycleConfigurationCommand,
  PutBucketLifecycleConfigurationCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/run-cli.js';
import { REPO_ROOT, testServers, uniqueDbName } from '../../helpers/servers.js';

const golden = (file: string): string =>
  readFileSync(join(REPO_ROOT, 'test/fixtures/lifecycle', file), 'utf8');
const POLICY = ['--keep-daily', '7', '--keep-weekly', '4', '--keep-monthly', '3', '--expire-after', '100'];

const { awsEndpoint } = testServers();
const s3 = new S3Client({
  endpoint: awsEndpoint,
  region: 'us-east-1',
  forcePathStyle: true,
  credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
});
afterAll(() => s3.destroy());

describe('dbfork store lifecycle --print', () => {
  it.each([
    ['s3', 's3://snapshots/prod'],
    ['gcs', 'gs://snapshots/prod'],
  ])('prints the %s rules and notes equal to the golden files', async (format, store) => {
    const res = await runCli(['store', 'lifecycle', '--print', '--store', store, ...POLICY]);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toBe(golden(`${format}-prod.json`));
    expect(res.stderr).toBe(golden(`${format}-prod.notes.txt`));
    expect(res.stderr).toContain('keep-weekly 4');
    expect(res.stderr).toContain('latest is never pruned');
  });

  it('prints rules moto accepts as a bucket lifecycle configuration, scoped to the prefix', async () => {
    const bucket = uniqueDbName('dbfork-lifecycle').toLowerCase().replace(/_/g, '-');
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    const res = await runCli(['store', 'lifecycle', '--print', '--store', `s3://${bucket}/prod`, ...POLICY]);
    expect(res.code, res.stderr).toBe(0);
    await s3.send(
      new PutBucketLifecycleConfigurationCommand({
        Bucket: bucket,
        LifecycleConfiguration: JSON.parse(res.stdout),
      }),
    );
    const { Rules } = await s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: bucket }));
    expect(Rules?.map((r) => [r.ID, r.Filter?.Prefix])).toEqual([
      ['dbfork/prod/abort-incomplete-uploads', 'prod/'],
      ['dbfork/prod/noncurrent-versions', 'prod/'],
      ['dbfork/prod/expire-by-age', 'prod/'],
    ]);
    expect(Rules?.[1]?.NoncurrentVersionExpiration?.NoncurrentDays).toBe(7);
  });

  it('--json gives the rules and the notes in one result', async () => {
    const res = await runCli([
      '--json',
      'store',
      'lifecycle',
      '--print',
      '--store',
      'gs://b',
      '--keep-last',
      '3',
    ]);
    expect(res.code, res.stderr).toBe(0);
    const { result } = JSON.parse(res.stdout.trim().split('\n').at(-1)!);
    expect(result.format).toBe('gcs');
    expect(result.rules.rule[0].condition).toEqual({ age: 7 }); // the whole bucket: no prefix condition
    expect(result.notes[0]).toContain('keep-last 3');
  });

  it('refuses an age rule shorter than what the policy keeps, a file store, and a run without --print', async () => {
    const short = await runCli([
      'store',
      'lifecycle',
      '--print',
      '--store',
      's3://b/p',
      '--keep-weekly',
      '4',
      '--expire-after',
      '20',
    ]);
    expect(short.code).toBe(2);
    expect(short.stderr).toContain('at least 29 days');
    const file = await runCli(['store', 'lifecycle', '--print', '--store', '/tmp/snaps']);
    expect(file.code).toBe(2);
    expect(file.stderr).toContain('a file store has no bucket lifecycle rules');
    const noPrint = await runCli(['store', 'lifecycle', '--store', 's3://b/p']);
    expect(noPrint.code).toBe(2);
    expect(noPrint.stderr).toContain('add --print');
  });
});
