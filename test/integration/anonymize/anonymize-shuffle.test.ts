import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deserialize } from 'bson';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readDump } from '../../../src/archive/index.js';
import { runCli } from '../../helpers/run-cli.js';
import { ATLAS_DUMP } from '../../helpers/servers.js';

const KEY = { DBFORK_ANONYMIZATION_KEY: 'integration-test-key-0123456789' };
const WINDOW = 100;
const RULES = `
rules:
  sample_analytics.customers:
    fields:
      email: { transform: shuffle, window: ${WINDOW} }
      birthdate: { transform: shuffle, window: ${WINDOW} }
      address: { transform: shuffle, window: ${WINDOW} }
      username: { transform: hash }
      name: { transform: fake, kind: full_name }
    keep: [_id, accounts, tier_and_details, active]
exclusions: [sample_mflix.*, sample_analytics.accounts]
`;

type Doc = Record<string, unknown>;

/** The documents of a mongodump .bson file, in file order. */
function bsonFile(file: string): Doc[] {
  const bytes = readFileSync(file);
  const out: Doc[] = [];
  for (let at = 0; at < bytes.length; at += bytes.readInt32LE(at))
    out.push(deserialize(bytes.subarray(at, at + bytes.readInt32LE(at))));
  return out;
}

async function customersOf(dump: string): Promise<{ docs: Doc[]; bytes: Buffer }> {
  const docs: Doc[] = [];
  const bytes: Buffer[] = [];
  for await (const e of readDump(dump)) {
    if (e.type !== 'document' || e.namespace.collection !== 'customers') continue;
    docs.push(deserialize(e.bson));
    bytes.push(Buffer.from(e.bson));
  }
  return { docs, bytes: Buffer.concat(bytes) };
}

const sortedBy = (docs: readonly Doc[], field: string) => docs.map((d) => JSON.stringify(d[field])).sort();

describe('dbfork anonymize with shuffle rules (Atlas sample_analytics.customers)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dbfork-shuffle-'));
  const rules = join(dir, 'rules.yaml');
  const original = bsonFile(join(ATLAS_DUMP, 'sample_analytics', 'customers.bson'));

  beforeAll(() => writeFileSync(rules, RULES));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps each window’s values, detaches ≥ 90 % of them from their documents, and is deterministic', async () => {
    const outs = [join(dir, 'a.archive'), join(dir, 'b.archive')];
    for (const out of outs) {
      const result = await runCli(
        ['anonymize', '--in', ATLAS_DUMP, '--out', out, '--format', 'archive', '--rules', rules],
        { env: KEY },
      );
      expect(result.stderr).not.toMatch(/error/i);
      expect(result.code).toBe(0);
    }
    const [a, b] = [await customersOf(outs[0]!), await customersOf(outs[1]!)];
    expect(a.bytes.equals(b.bytes)).toBe(true);
    const out = a.docs;
    expect(out.map((d) => String(d._id))).toEqual(original.map((d) => String(d._id)));
    for (let from = 0; from < original.length; from += WINDOW) {
      const [o, s] = [original.slice(from, from + WINDOW), out.slice(from, from + WINDOW)];
      for (const field of ['email', 'birthdate', 'address'])
        expect(sortedBy(s, field)).toEqual(sortedBy(o, field));
    }
    expect(out.every((d) => d.birthdate instanceof Date)).toBe(true);
    const moved = (field: string) =>
      out.filter((d, i) => JSON.stringify(d[field]) !== JSON.stringify(original[i]![field])).length /
      out.length;
    const figures = { email: moved('email'), birthdate: moved('birthdate'), address: moved('address') };
    console.log(
      `shuffle: ${out.length} documents, share that got another document's value: ${JSON.stringify(figures)}`,
    );
    for (const share of Object.values(figures)) expect(share).toBeGreaterThanOrEqual(0.9);
    // the three fields are permuted independently: an email rarely keeps its birth date
    const together = out.filter((d) => {
      const from = original.find((o) => o.email === d.email);
      return from !== undefined && (from.birthdate as Date).getTime() === (d.birthdate as Date).getTime();
    }).length;
    expect(together / out.length).toBeLessThan(0.1);
    expect(out.map((d) => d.accounts)).toEqual(original.map((d) => d.accounts));
  });

  it('another key gives another permutation of the same values', async () => {
    const out = join(dir, 'c.archive');
    const result = await runCli(
      ['anonymize', '--in', ATLAS_DUMP, '--out', out, '--format', 'archive', '--rules', rules],
      { env: { DBFORK_ANONYMIZATION_KEY: 'another-integration-key-0123456789' } },
    );
    expect(result.code).toBe(0);
    const other = (await customersOf(out)).docs;
    const first = (await customersOf(join(dir, 'a.archive'))).docs;
    expect(sortedBy(other, 'email')).toEqual(sortedBy(first, 'email'));
    expect(other.filter((d, i) => d.email === first[i]!.email).length).toBeLessThan(original.length * 0.1);
  });
});
