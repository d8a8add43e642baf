import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deserialize } from 'bson';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readDump, writeDump } from '../../../src/archive/index.js';
import { runCli } from '../../helpers/run-cli.js';
import { fixtureStream } from '../restore/dump-fixture.js';

const KEY = { DBFORK_ANONYMIZATION_KEY: 'integration-test-key-0123456789' };
const RULES = `
rules:
  crm.customers:
    fields:
      first: { transform: person, part: first_name, seed_field: email, identity: customer }
      last: { transform: person, part: last_name, seed_field: email, identity: customer }
      email: { transform: hash_email, group: email }
      note: { transform: redact, email_group: email, name_fields: [first, last] }
      account: { transform: fpe }
      "**.phone": { transform: phone, default_country: GB }
      profile.tier: { transform: choice, values: [a, b], when: { kind: vip } }
    keep: [_id, kind, profile]
`;

describe('dbfork anonymize with the newer transforms, and dbfork fpe-decrypt', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dbfork-breadth-'));
  const raw = join(dir, 'raw.archive');
  const out = join(dir, 'anon.archive');
  const rules = join(dir, 'rules.yaml');
  const docs = Array.from({ length: 50 }, (_, i) => ({
    _id: i,
    kind: i % 2 ? 'vip' : 'std',
    first: 'Zorvath',
    last: `Mabrix${'x'.repeat(i % 3)}`,
    email: `zorvath${i}@corp.example`,
    note: `Zorvath asked to be called on +44 20 7946 ${String(1000 + i)}; mail zorvath${i}@corp.example.`,
    account: `ACC-${String(4_000_000 + i * 37)}`,
    profile: { tier: 'gold', contacts: [{ phone: `020 7946 ${String(2000 + i)}` }] },
  }));

  beforeAll(async () => {
    writeFileSync(rules, RULES);
    await writeDump(fixtureStream('crm', [{ name: 'customers', docs }]), raw, { format: 'archive' });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('anonymizes under strict rules with no original left, and fpe-decrypt recovers the accounts', async () => {
    const result = await runCli(['anonymize', '--in', raw, '--out', out, '--rules', rules], { env: KEY });
    expect(result.stderr).not.toMatch(/error/i);
    expect(result.code).toBe(0);
    const anonymized: Record<string, unknown>[] = [];
    for await (const e of readDump(out)) if (e.type === 'document') anonymized.push(deserialize(e.bson));
    expect(anonymized).toHaveLength(docs.length);
    const text = JSON.stringify(anonymized);
    expect(text.match(/.{40}(Zorvath|Mabrix|corp\.example|7946 1\d{3}|7946 2\d{3}).{20}/g)).toBeNull();
    expect(anonymized.filter((d, i) => d.account === docs[i]!.account)).toEqual([]);
    anonymized.forEach((d, i) => {
      expect(d.note).toContain(`${d.first as string} asked to be called on +44 20 `);
      expect(d.note).toContain(` mail ${d.email as string}.`);
      // when: { kind: vip } — only the odd documents' tier is rewritten
      expect(['a', 'b'].includes((d.profile as { tier: string }).tier)).toBe(i % 2 === 1);
    });
    const encrypted = anonymized.slice(0, 3).map((d) => d.account as string);
    const decrypted = await runCli(
      ['fpe-decrypt', '--rules', rules, '--collection', 'crm.customers', '--field', 'account', ...encrypted],
      { env: KEY },
    );
    expect(decrypted.code).toBe(0);
    expect(decrypted.stdout.trim().split('\n')).toEqual(docs.slice(0, 3).map((d) => d.account));
  });

  it('fpe-decrypt refuses a field that is not an fpe rule', async () => {
    const r = await runCli(
      ['fpe-decrypt', '--rules', rules, '--collection', 'crm.customers', '--field', 'email', 'x'],
      {
        env: KEY,
      },
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no fpe rule at crm.customers email/);
  });
});
