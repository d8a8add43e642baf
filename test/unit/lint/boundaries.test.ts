import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const eslint = new ESLint({ cwd: root });

/** The `no-restricted-imports` messages for `code` placed (virtually) at `file` under the repo. */
async function restricted(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: `${root}${file}` });
  return (result?.messages ?? [])
    .filter((m) => m.ruleId === 'no-restricted-imports' || m.fatal)
    .map((m) => m.message);
}

const use = (specifier: string): string => `import * as m from '${specifier}';\nexport const x = m;\n`;

describe('the import boundaries of docs/architecture.md (eslint.boundaries.js)', () => {
  it('fails a stage importing another stage', async () => {
    const messages = await restricted('src/restore/x.ts', use('../source/snapshot-source.js'));
    expect(messages).toHaveLength(1);
    expect(messages[0]).toContain('src/restore/ may import only');
  });

  it('passes a stage importing what it may: restore → target interface, core, archive contract', async () => {
    expect(await restricted('src/restore/x.ts', use('../target/snapshot-target.js'))).toEqual([]);
    expect(await restricted('src/restore/x.ts', use('../core/dump-event.js'))).toEqual([]);
    expect(await restricted('src/restore/x.ts', use('../archive/crc64.js'))).toEqual([]);
    expect(await restricted('src/restore/x.ts', use('./restore-plan.js'))).toEqual([]);
  });

  it('from archive/, only the contract files', async () => {
    expect(await restricted('src/restore/x.ts', use('../archive/archive-reader.js'))).toHaveLength(1);
    expect(await restricted('src/mongodb/x.ts', use('../archive/collection-metadata.js'))).toEqual([]);
  });

  it('holds in nested folders too', async () => {
    expect(await restricted('src/target/guard/x.ts', use('../../source/snapshot-source.js'))).toHaveLength(1);
    expect(await restricted('src/target/guard/x.ts', use('../index-spec.js'))).toEqual([]);
    expect(
      await restricted('src/transform/transforms/x.ts', use('../../restore/restore-plan.js')),
    ).toHaveLength(1);
  });

  it('only the composition root imports the adapter', async () => {
    expect(await restricted('src/policy/x.ts', use('../mongodb/connect.js'))).toHaveLength(1);
    expect(await restricted('src/restore/x.ts', use('../mongodb/mongodb-target.js'))).toHaveLength(1);
    expect(await restricted('src/pipeline/x.ts', use('../mongodb/mongodb-target.js'))).toEqual([]);
    expect(await restricted('src/cli/commands/x.ts', use('../../mongodb/mongodb-source.js'))).toEqual([]);
    expect(await restricted('src/x.ts', use('./mongodb/mongodb-source.js'))).toEqual([]);
  });

  it('the adapter does not reach back into the engine or the composition root', async () => {
    expect(await restricted('src/mongodb/x.ts', use('../restore/restore-plan.js'))).toHaveLength(1);
    expect(await restricted('src/mongodb/x.ts', use('../pipeline/refresh.js'))).toHaveLength(1);
  });

  it('the RDS and STS SDKs only inside src/aws/; the pure rds/ domain imports no adapter', async () => {
    expect(await restricted('src/aws/x.ts', use('@aws-sdk/client-rds'))).toEqual([]);
    expect(await restricted('src/aws/x.ts', use('@aws-sdk/client-sts'))).toEqual([]);
    for (const file of ['src/rds/x.ts', 'src/pipeline/x.ts', 'src/cli/commands/x.ts', 'src/store/s3/x.ts'])
      expect(await restricted(file, use('@aws-sdk/client-rds'))).toHaveLength(1);
    expect(await restricted('src/rds/x.ts', use('../aws/aws-rds-api.js'))).toHaveLength(1);
    expect(await restricted('src/rds/x.ts', use('../plan/plan-schema.js'))).toEqual([]);
    expect(await restricted('src/pipeline/x.ts', use('../aws/open-rds-api.js'))).toEqual([]);
  });

  it('the driver only inside src/mongodb/', async () => {
    expect(await restricted('src/mongodb/x.ts', use('mongodb'))).toEqual([]);
    for (const file of ['src/restore/x.ts', 'src/core/x.ts', 'src/pipeline/x.ts', 'src/cli/x.ts', 'src/x.ts'])
      expect(await restricted(file, use('mongodb')), file).toHaveLength(1);
  });

  it('bson only where documents are encoded or decoded', async () => {
    expect(await restricted('src/archive/x.ts', use('bson'))).toEqual([]);
    expect(await restricted('src/transform/transforms/x.ts', use('bson'))).toEqual([]);
    expect(await restricted('src/config/validate-rules.ts', use('bson'))).toEqual([]);
    expect(await restricted('src/restore/x.ts', use('bson'))).toHaveLength(1);
    expect(await restricted('src/core/x.ts', use('bson'))).toHaveLength(1);
    expect(await restricted('src/config/x.ts', use('bson'))).toHaveLength(1);
  });

  it('tests are not zoned', async () => {
    expect(await restricted('test/unit/x.test.ts', use('../../src/mongodb/connect.js'))).toEqual([]);
    expect(await restricted('test/unit/x.test.ts', use('mongodb'))).toEqual([]);
  });
});
