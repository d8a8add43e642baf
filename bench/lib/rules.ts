import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Every field of the generated bench document (bench/lib/dataset.ts). */
const FIELDS = [
  '_id',
  'username',
  'name',
  'email',
  'address.street',
  'address.city',
  'address.zip',
  'birthdate',
  'active',
  'accounts',
  'balance',
  'score',
  'tier_and_details',
  'notes',
  'card',
];

/** The rewritten fields of each configuration (the same rules as bench/transform-throughput.ts). */
export const RULE_SETS: Record<number, Record<string, string>> = {
  0: {},
  3: {
    name: '{ transform: fake, kind: full_name }',
    email: '{ transform: hash_email }',
    'address.street': '{ transform: fake, kind: street_address }',
  },
  10: {
    _id: '{ transform: pseudonymous_id, group: customer_id }',
    username: '{ transform: hash, length: 24 }',
    name: '{ transform: fake, kind: full_name }',
    email: '{ transform: hash_email, group: email }',
    'address.street': '{ transform: fake, kind: street_address }',
    birthdate: '{ transform: date_shift, max_days: 180 }',
    accounts: '{ transform: pseudonymous_id, group: account }',
    balance: '{ transform: number_noise, percent: 5 }',
    card: '{ transform: mask, keep_last: 4 }',
    notes: '{ transform: unset }',
  },
};

/**
 * Write a rules file for `db.customers` with `count` rules (0, 3 or 10) and every other field kept, so
 * the fail-closed field check passes; returns its path.
 */
export function writeRules(dir: string, db: string, count: number): string {
  const set = RULE_SETS[count];
  if (!set) throw new Error(`no rule set of ${count} rules`);
  const rewritten = Object.keys(set);
  // a field kept must not be a prefix of (or under) a rewritten one: keep `address` subfields one by one
  const keep = FIELDS.filter((f) => !rewritten.includes(f));
  const lines = [`rules:`, `  ${db}.customers:`];
  if (rewritten.length > 0) {
    lines.push('    fields:');
    for (const [field, rule] of Object.entries(set)) lines.push(`      ${field}: ${rule}`);
  }
  lines.push(`    keep: [${keep.join(', ')}]`);
  const path = join(dir, `rules-${db}-${count}.yaml`);
  writeFileSync(path, lines.join('\n') + '\n');
  return path;
}

/** Write a 32-byte anonymization key file into `dir`; returns its path. */
export function writeKey(dir: string): string {
  const path = join(dir, 'bench.key');
  writeFileSync(path, 'bench-key-0123456789abcdef0123456789abcdef\n', { mode: 0o600 });
  return path;
}
