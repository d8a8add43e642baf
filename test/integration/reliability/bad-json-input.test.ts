import { randomBytes } from 'node:crypto';
import {
  existsSync,
  readdirSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { recordScenario } from '../../helpers/reliability-record.js';
import { runCli } from '../../helpers/run-cli.js';
import { ATLAS_DUMP, testServers, uniqueDbName } from '../../helpers/servers.js';

const servers = testServers();

describe('input text that is not JSON is refused with the offending text, before anything is written', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dbfork-bad-json-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('--query that is not an Extended JSON filter: exit 2 quoting it, no snapshot', async () => {
    const queries = ['{"email": {"$regex": ', '{"a":{"$date":"not a date"}}', '[1,2]', "{'single': 1}"];
    const store = join(dir, 'store');
    const results = await Promise.all(
      queries.map((q) =>
        runCli([
          'snapshot',
          'create',
          '--uri',
          servers.sourceUri,
          '--db',
          uniqueDbName('q'),
          '--store',
          store,
          '--query',
          `users=${q}`,
          '--no-anonymize',
        ]),
      ),
    );
    for (const [i, res] of results.entries()) {
      expect(res.code, res.stderr).toBe(2);
      expect(res.stderr).toContain(JSON.stringify(queries[i]));
      expect(res.stderr).not.toMatch(/INTERNAL/);
    }
    // no snapshot was begun: the store holds at most the audit trail's records of the refused runs
    const written = existsSync(store) ? readdirSync(store).filter((f) => f !== 'audit') : [];
    expect(written).toEqual([]);
    recordScenario({
      group: 'fuzz',
      scenario: '--query text that is not an Extended JSON filter',
      runs: queries.length,
      survived: results.filter((r) => r.code === 2).length,
      nothingLost: written.length === 0,
      detail: 'exit 2 quoting the text; no snapshot written',
    });
  });

  it('a .metadata.json that is not JSON: an archive error naming the file, no output', async () => {
    const dump = join(dir, 'dump', 'sample_mflix');
    mkdirSync(dump, { recursive: true });
    writeFileSync(join(dump, 'users.bson'), readFileSync(join(ATLAS_DUMP, 'sample_mflix', 'users.bson')));
    writeFileSync(join(dump, 'users.metadata.json'), '{"indexes": [ {"v": 2, "key": ');
    const out = join(dir, 'out.archive');
    const rules = join(dir, 'rules.yaml');
    writeFileSync(
      rules,
      'strict: false\nrules:\n  users:\n    fields:\n      email: { transform: hash_email }\n',
    );
    const res = await runCli(['anonymize', '--in', join(dir, 'dump'), '--out', out, '--rules', rules], {
      env: { DBFORK_ANONYMIZATION_KEY: randomBytes(32).toString('base64') },
    });
    expect(res.code, res.stderr).toBe(4);
    expect(res.stderr).toContain('ARCHIVE_BAD_METADATA');
    expect(res.stderr).toContain('users.metadata.json');
    expect(existsSync(out)).toBe(false);
    recordScenario({
      group: 'fuzz',
      scenario: 'a .metadata.json that is not JSON',
      runs: 1,
      survived: res.code === 4 ? 1 : 0,
      nothingLost: !existsSync(out),
      detail: 'ARCHIVE_BAD_METADATA naming the file (exit 4: it is dump input); no output',
    });
  });
});
