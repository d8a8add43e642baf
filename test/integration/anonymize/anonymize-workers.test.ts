import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deserialize, serialize } from 'bson';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readDump, writeDump } from '../../../src/archive/index.js';
import type { CollectionEntry, DumpEvent } from '../../../src/core/dump-event.js';
import { benchDocument } from '../../../bench/lib/dataset.js';
import { runCli, type CliResult } from '../../helpers/run-cli.js';
import { ATLAS_DUMP, REPO_ROOT } from '../../helpers/servers.js';
import { tenRules } from './ten-rules.js';

const KEY = { DBFORK_ANONYMIZATION_KEY: 'integration-test-key-0123456789' };
/** Workers from the first document (the default keeps the first 2048 in thread). */
const FROM_FIRST = { ...KEY, DBFORK_WORKERS_START_AFTER: '0' };

const A = { db: 'a', collection: 'customers' };
const B = { db: 'b', collection: 'customers' };
const C = { db: 'c', collection: 'customers' };
const PER_NAMESPACE = 4000;

/** A unique email index (so every hash_email output is claimed in the uniqueness memory). */
const UNIQUE_EMAIL = JSON.stringify({
  indexes: [
    { v: 2, key: { _id: 1 }, name: '_id_' },
    { v: 2, key: { email: 1 }, name: 'email_1', unique: true },
  ],
});

/**
 * Three namespaces of generated customers, interleaved in runs of 300 (so batches of one namespace
 * are cut by the others); distinct documents per namespace. `tamper` may change a document.
 */
async function writeGenerated(
  path: string,
  tamper: (ns: string, i: number, doc: Record<string, unknown>) => void = () => undefined,
): Promise<void> {
  const entries: CollectionEntry[] = [A, B, C].map((namespace) => ({
    namespace,
    collectionType: 'collection',
    metadataJson: UNIQUE_EMAIL,
  }));
  async function* events(): AsyncGenerator<DumpEvent> {
    yield {
      type: 'prelude',
      serverVersion: '7.0.0',
      toolVersion: 't',
      concurrentCollections: 3,
      collections: entries,
    };
    for (let run = 0; run * 300 < PER_NAMESPACE; run++)
      for (const [k, namespace] of [A, B, C].entries())
        for (let i = run * 300; i < Math.min(PER_NAMESPACE, (run + 1) * 300); i++) {
          const doc = benchDocument(k * 1_000_000 + i);
          tamper(namespace.db, i, doc);
          yield { type: 'document', namespace, bson: serialize(doc) };
        }
    for (const namespace of [A, B, C]) yield { type: 'end', namespace };
  }
  await writeDump(events(), path, { format: 'archive', gzip: false });
}

async function anonymize(
  dir: string,
  input: string,
  rules: string,
  workers: number,
  env: Record<string, string> = FROM_FIRST,
): Promise<{ res: CliResult; out: string }> {
  const out = join(dir, `out-${workers}-${Math.random().toString(36).slice(2)}.archive`);
  const res = await runCli(
    [
      'anonymize',
      '--in',
      input,
      '--out',
      out,
      '--format',
      'archive',
      '--rules',
      rules,
      '--workers',
      String(workers),
    ],
    { env },
  );
  return { res, out };
}

describe('anonymize --workers: the same bytes on any number of workers', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dbfork-workers-'));
  const input = join(dir, 'generated.archive');
  const rules = join(dir, 'ten.yaml');
  const tiny = join(dir, 'tiny.yaml');
  // hash of 4 characters of a 12-letter alphabet (20,736 outputs), unique across the three
  // namespaces (one group): 12,000 distinct usernames collide by the hundreds, across workers
  const tinyUnique = "{ transform: hash, length: 4, alphabet: '0123456789ab', unique: true, group: login }";

  beforeAll(async () => {
    await writeGenerated(input);
    // c.customers keeps state across documents (a size limit): it stays in the main thread
    writeFileSync(
      rules,
      tenRules('{ transform: hash, length: 24 }', 'size_limits: { c.customers: { max_documents: 2500 } }\n'),
    );
    writeFileSync(tiny, tenRules(tinyUnique));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('1, 2 and 4 workers write byte-identical archives (10 rules, three interleaved namespaces)', async () => {
    const outs: Buffer[] = [];
    for (const workers of [1, 2, 4]) {
      const { res, out } = await anonymize(dir, input, rules, workers);
      expect(res.stderr).toBe('');
      expect(res.code).toBe(0);
      outs.push(readFileSync(out));
    }
    expect(outs[0]!.length).toBeGreaterThan(1_000_000);
    expect(outs[1]!.equals(outs[0]!)).toBe(true);
    expect(outs[2]!.equals(outs[0]!)).toBe(true);
    // with the default start (2048 documents in thread first) too
    const { res, out } = await anonymize(dir, input, rules, 2, KEY);
    expect(res.code).toBe(0);
    expect(readFileSync(out).equals(outs[0]!)).toBe(true);
  });

  it('forced collisions of a unique field: the same bytes as one worker, no duplicate output', async () => {
    const outs: Buffer[] = [];
    for (const workers of [1, 2, 4]) {
      const { res, out } = await anonymize(dir, input, tiny, workers);
      expect(res.stderr).toBe('');
      expect(res.code).toBe(0);
      outs.push(readFileSync(out));
    }
    expect(outs[1]!.equals(outs[0]!)).toBe(true);
    expect(outs[2]!.equals(outs[0]!)).toBe(true);
    const usernames: string[] = [];
    const last = join(dir, 'collisions.archive');
    writeFileSync(last, outs[2]!);
    for await (const event of readDump(last))
      if (event.type === 'document') usernames.push(deserialize(event.bson).username as string);
    expect(usernames).toHaveLength(3 * PER_NAMESPACE);
    expect(new Set(usernames).size).toBe(usernames.length);
    // the output space really forces collisions: without unique: true the same usernames repeat
    const loose = join(dir, 'loose.yaml');
    writeFileSync(loose, tenRules("{ transform: hash, length: 4, alphabet: '0123456789ab', group: login }"));
    const { res, out } = await anonymize(dir, input, loose, 1);
    expect(res.code).toBe(0);
    const repeated: string[] = [];
    for await (const event of readDump(out))
      if (event.type === 'document') repeated.push(deserialize(event.bson).username as string);
    expect(3 * PER_NAMESPACE - new Set(repeated).size).toBeGreaterThan(1000);
  });

  it('a transform error in a worker namespace is the in-thread error: same code, message and exit code', async () => {
    const bad = join(dir, 'bad.archive');
    await writeGenerated(bad, (ns, i, doc) => {
      if (ns === 'b' && i === 3333) doc.name = 42;
    });
    const one = await anonymize(dir, bad, rules, 1);
    const two = await anonymize(dir, bad, rules, 2);
    expect(one.res.code).toBe(5);
    expect(two.res.code).toBe(one.res.code);
    expect(two.res.stderr).toBe(one.res.stderr);
    expect(one.res.stderr).toMatch(/TRANSFORM_TYPE_MISMATCH.*b\.customers name.*document 3334/);
  });

  it('the Atlas sample dump: --workers 2 writes the same archive as --workers 1', async () => {
    const example = join(REPO_ROOT, 'examples', 'atlas-sample.rules.yaml');
    const one = await anonymize(dir, ATLAS_DUMP, example, 1);
    const two = await anonymize(dir, ATLAS_DUMP, example, 2);
    expect(one.res.code).toBe(0);
    expect(two.res.code).toBe(0);
    const bytes = readFileSync(one.out);
    expect(bytes.length).toBeGreaterThan(100_000);
    expect(readFileSync(two.out).equals(bytes)).toBe(true);
  });

  it('--workers takes a whole number ≥ 1', async () => {
    const { res } = await anonymize(dir, input, rules, 0);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/CONFIG_BAD_OPTION.*--workers/);
  });
});
