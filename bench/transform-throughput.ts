/**
 * Benchmark: the anonymization engine's throughput next to plain BSON decode + encode of the same
 * documents, on one core, in memory, in the same process and run (no I/O, no archive framing).
 *
 * - baseline: `deserialize` + `serialize` of every document (bson, the engine's decode options);
 * - pass-through: `anonymizeEvents` on a namespace without rules (bytes forwarded, never decoded);
 * - anonymize (3 rules): fake full_name, hash_email, fake street_address;
 * - anonymize (10 rules): `anonymizeEvents` with realistic keyed rules (hash_email, fake ×2, date_shift,
 *   pseudonymous_id of `_id` and of an array of ints, mask, number_noise, unset) and a unique index on email;
 * - fail-closed gate: the strict field check alone (every field kept: one raw walk per document), and
 *   the 3 rules behind it (every other field kept), as `anonymize` runs them.
 *
 * Seconds are CPU seconds of the process (user + system, `process.cpuUsage`), so other work on the
 * machine does not count against a measurement; MB/s counts input BSON bytes (1 MB = 10^6 bytes) per
 * CPU second. Each measurement is the best of 3 runs after a warm-up. Prints a table and writes bench/results/transform-throughput.json.
 *
 * Run: `npx tsx bench/transform-throughput.ts [documents]` (default 200000, or the largest of
 * `BENCH_SIZES` when smaller)
 */
import { writeFileSync } from 'node:fs';
import { benchSizes, resultsFile } from './lib/figures.js';
import { customer as baseCustomer } from './lib/generate.js';
import { cpus } from 'node:os';
import { deserialize, serialize } from 'bson';
import type { DumpEvent } from '../src/core/dump-event.js';
import { parseRules } from '../src/config/load-rules.js';
import { keyedHasher } from '../src/transform/hasher.js';
import { streamAnonymizer } from '../src/transform/stream-anonymizer.js';
import { failClosedAnonymizer } from '../src/pipeline/fail-closed-anonymizer.js';
import { failClosedGate } from '../src/policy/fail-closed-gate.js';

const MB = 1e6;
/** Documents: the argument, else 200k (or the largest of `BENCH_SIZES` when smaller). */
const COUNT = Number(process.argv[2] ?? Math.min(200_000, Math.max(...benchSizes())));
/** The shared generated customer (bench/lib/generate.ts) plus a card number for the Luhn/mask rules. */
function customer(i: number): Record<string, unknown> {
  return { ...baseCustomer(i), card: `4111${String(i).padStart(12, '0')}` };
}

const RULES = `
rules:
  bench.customers:
    fields:
      _id: { transform: pseudonymous_id, group: customer_id }
      username: { transform: hash, length: 24 }
      name: { transform: fake, kind: full_name }
      email: { transform: hash_email, group: email }
      address.street: { transform: fake, kind: street_address }
      birthdate: { transform: date_shift, max_days: 180 }
      accounts: { transform: pseudonymous_id, group: account }
      balance: { transform: number_noise, percent: 5 }
      card: { transform: mask, keep_last: 4 }
      notes: { transform: unset }
`;

const RULES_3 = `
rules:
  bench.customers:
    fields:
      name: { transform: fake, kind: full_name }
      email: { transform: hash_email }
      address.street: { transform: fake, kind: street_address }
`;

/** Every field of the generated customer not rewritten by RULES_3, kept: a fully classified file. */
const KEEP_REST =
  '    keep: [_id, username, address.city, address.zip, birthdate, active, accounts, balance, score, tier_and_details, notes, card]\n';
const KEEP_ALL =
  'rules:\n  bench.customers:\n    keep: [_id, username, name, email, address, birthdate, active, accounts, balance, score, tier_and_details, notes, card]\n';

interface Row {
  readonly name: string;
  readonly seconds: number;
  readonly mbPerSecond: number;
  readonly docsPerSecond: number;
}

function best(name: string, bytes: number, run: () => number | Promise<number>): Promise<Row> {
  return (async () => {
    await run(); // warm-up
    let seconds = Number.POSITIVE_INFINITY;
    for (let i = 0; i < 3; i++) {
      const start = process.cpuUsage();
      const n = await run();
      if (n !== COUNT) throw new Error(`${name}: ${n} documents, expected ${COUNT}`);
      const used = process.cpuUsage(start);
      seconds = Math.min(seconds, (used.user + used.system) / 1e6);
    }
    return { name, seconds, mbPerSecond: bytes / MB / seconds, docsPerSecond: COUNT / seconds };
  })();
}

async function main(): Promise<void> {
  const docs = Array.from({ length: COUNT }, (_, i) => serialize(customer(i)));
  const bytes = docs.reduce((n, d) => n + d.length, 0);
  const ns = { db: 'bench', collection: 'customers' };
  const metadataJson = JSON.stringify({
    indexes: [
      { v: 2, key: { _id: 1 }, name: '_id_' },
      { v: 2, key: { email: 1 }, name: 'email_1', unique: true },
    ],
  });
  async function* events(collection: string): AsyncGenerator<DumpEvent> {
    const namespace = { ...ns, collection };
    yield {
      type: 'prelude',
      serverVersion: '7.0.0',
      toolVersion: 'bench',
      concurrentCollections: 1,
      collections: [{ namespace, collectionType: 'collection', metadataJson }],
    };
    for (const bson of docs) yield { type: 'document', namespace, bson };
    yield { type: 'end', namespace };
  }
  const anonymizer = streamAnonymizer(
    parseRules(RULES, 'bench-rules.yaml'),
    keyedHasher(Buffer.from('bench-key-0123456789abcdef')),
  );
  const small = streamAnonymizer(
    parseRules(RULES_3, 'bench-rules-3.yaml'),
    keyedHasher(Buffer.from('bench-key-0123456789abcdef')),
  );
  const hasher = keyedHasher(Buffer.from('bench-key-0123456789abcdef'));
  const gated = failClosedAnonymizer(
    parseRules(`${RULES_3}${KEEP_REST}`, 'bench-rules-3-gated.yaml'),
    hasher,
  );
  const keepAll = parseRules(KEEP_ALL, 'bench-keep-all.yaml').rules;
  const drain = async (collection: string, engine: { apply: typeof anonymizer.apply } = anonymizer) => {
    let n = 0;
    for await (const e of engine.apply(events(collection))) if (e.type === 'document') n++;
    return n;
  };

  const rows = [
    await best('bson deserialize + serialize', bytes, () => {
      let n = 0;
      for (const d of docs) {
        serialize(deserialize(d, { promoteValues: false, bsonRegExp: true }));
        n++;
      }
      return n;
    }),
    await best('anonymizeEvents, no rules (pass-through)', bytes, () => drain('other')),
    await best('anonymizeEvents, 3 rules (name, email, street)', bytes, () => drain('customers', small)),
    await best('anonymizeEvents, 10 keyed rules', bytes, () => drain('customers')),
    await best('fail-closed gate alone (strict field check)', bytes, async () => {
      let n = 0;
      for await (const e of failClosedGate(events('customers'), keepAll)) if (e.type === 'document') n++;
      return n;
    }),
    await best('gate + 3 rules (anonymize as run)', bytes, () => drain('customers', gated)),
  ];

  const baseline = rows[0]!;
  console.log(
    `${COUNT} documents, ${(bytes / MB).toFixed(1)} MB of BSON (${Math.round(bytes / COUNT)} bytes each), node ${process.version}, ${cpus()[0]?.model ?? 'cpu'}`,
  );
  console.log(
    [
      'measurement'.padEnd(46),
      'seconds'.padStart(8),
      'MB/s'.padStart(8),
      'docs/s'.padStart(10),
      'vs bson'.padStart(8),
    ].join(' '),
  );
  for (const r of rows) {
    console.log(
      [
        r.name.padEnd(46),
        r.seconds.toFixed(2).padStart(8),
        r.mbPerSecond.toFixed(1).padStart(8),
        Math.round(r.docsPerSecond).toString().padStart(10),
        `${(r.mbPerSecond / baseline.mbPerSecond).toFixed(2)}x`.padStart(8),
      ].join(' '),
    );
  }
  const result = {
    measuredAt: new Date().toISOString(),
    node: process.version,
    cpu: cpus()[0]?.model ?? '',
    documents: COUNT,
    bsonBytes: bytes,
    rules: { threeRules: RULES_3.trim(), tenRules: RULES.trim() },
    rows: rows.map((r) => ({
      ...r,
      seconds: Number(r.seconds.toFixed(3)),
      mbPerSecond: Number(r.mbPerSecond.toFixed(1)),
      docsPerSecond: Math.round(r.docsPerSecond),
      ratioToBson: Number((r.mbPerSecond / baseline.mbPerSecond).toFixed(2)),
    })),
  };
  writeFileSync(resultsFile('transform-throughput'), `${JSON.stringify(result, null, 2)}\n`);
  console.log(`wrote ${resultsFile('transform-throughput')}`);
}

await main();
