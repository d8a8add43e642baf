import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { MongoClient } from 'mongodb';
import { afterAll, describe, expect, it } from 'vitest';
import { readArchive } from '../../../src/archive/index.js';
import { documentOf, element, int32, typeZoo, typeZooElements } from '../../helpers/bson-zoo.js';
import { recordScenario } from '../../helpers/reliability-record.js';
import { runCli } from '../../helpers/run-cli.js';
import { testServers, testTool, uniqueDbName } from '../../helpers/servers.js';

const run = promisify(execFile);
const servers = testServers();
const TOOLS = testTool('TOOLS_BIN');
const KEY = { DBFORK_ANONYMIZATION_KEY: randomBytes(32).toString('base64') };
const RULES = 'strict: false\nrules:\n  zoo:\n    fields:\n      absent: { transform: hash }\n';

/** The zoo's fields one per document (`{_id: n, <name>: value}`): a server refusing a type refuses one document. */
function onePerType(): Buffer[] {
  return typeZooElements().map((e, i) => documentOf(element(0x10, '_id', int32(i + 1)), e));
}

/**
 * The zoo fields FerretDB 2 stores. It refuses the others (a NaN payload, a `{$id, $ref}`-shaped document,
 * Undefined, DBPointer, Code, Symbol, Code with scope, Decimal128, MinKey, MaxKey): it closes the
 * connection or rejects the key, as a one-type probe with the real mongorestore shows.
 */
const FERRETDB_STORES = new Set([
  'double',
  'negativeZero',
  'string',
  'document',
  'array',
  'binary',
  'binaryOld',
  'uuid',
  'userBinary',
  'objectId',
  'bool',
  'date',
  'null',
  'regex',
  'int32',
  'timestamp',
  'int64',
  'email',
]);

const nameOf = (e: Buffer): string => e.subarray(1, e.indexOf(0, 1)).toString('utf8');

async function* once(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  yield bytes;
}

async function rawDocs(client: MongoClient, db: string): Promise<Map<number, Buffer>> {
  const out = new Map<number, Buffer>();
  for await (const raw of client.db(db).collection('zoo').find({}, { raw: true })) {
    const b = Buffer.from(raw as unknown as Uint8Array);
    out.set(b.readInt32LE(4 + 5), b);
  }
  return out;
}

describe('type zoo: every BSON type, the deprecated ones included, keeps its bytes', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dbfork-zoo-'));
  const source = new MongoClient(servers.sourceUri);
  const target = new MongoClient(servers.targetUri);
  const rules = join(dir, 'rules.yaml');
  writeFileSync(rules, RULES);

  afterAll(async () => {
    await source.close();
    await target.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('anonymize with a rule on an absent field: the whole zoo and every one-type document byte-identical', async () => {
    const docs = [typeZoo(1), ...onePerType()];
    const folder = join(dir, 'dump', 'zoodb');
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, 'zoo.bson'), Buffer.concat(docs));
    writeFileSync(join(folder, 'zoo.metadata.json'), '{"options":{},"indexes":[],"collectionName":"zoo"}');
    const out = join(dir, 'zoo-anonymized.archive');
    const res = await runCli(
      ['anonymize', '--in', join(dir, 'dump'), '--out', out, '--format', 'archive', '--rules', rules],
      {
        env: KEY,
      },
    );
    expect(res.code, res.stderr).toBe(0);
    const written: Buffer[] = [];
    for await (const e of readArchive(once(readFileSync(out))))
      if (e.type === 'document') written.push(Buffer.from(e.bson));
    expect(written.map((d) => d.toString('hex'))).toEqual(docs.map((d) => d.toString('hex')));
    recordScenario({
      group: 'fidelity',
      scenario: 'type zoo through `dbfork anonymize`, rule on an absent field',
      runs: docs.length,
      survived: written.filter((d, i) => d.equals(docs[i]!)).length,
      nothingLost: true,
      detail: `byte-identical: ${docs.length}/${docs.length} (every type 0x01..0x13, 0x7F, 0xFF)`,
    });
  });

  it('snapshot create --rules and restore on FerretDB: every type the server stores comes back byte-identical', async () => {
    const db = uniqueDbName('zoo');
    const docs = typeZooElements()
      .filter((e) => FERRETDB_STORES.has(nameOf(e)))
      .map((e, i) => documentOf(element(0x10, '_id', int32(i + 1)), e));
    const folder = join(dir, 'mr', db);
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, 'zoo.bson'), Buffer.concat(docs));
    // the real mongorestore writes the bytes as they are (the driver cannot write DBPointer or Undefined)
    await run(
      join(TOOLS, 'mongorestore'),
      ['--uri', servers.sourceUri, '--dir', join(dir, 'mr'), '--quiet'],
      {
        maxBuffer: 16 * 1024 * 1024,
      },
    ).catch(() => undefined);
    const stored = await rawDocs(source, db);
    const sameAsWritten = [...stored.entries()].filter(([n, b]) => b.equals(docs[n - 1]!));
    expect(sameAsWritten.length).toBeGreaterThan(10);
    const store = join(dir, 'store');
    const created = await runCli(
      ['snapshot', 'create', '--uri', servers.sourceUri, '--db', db, '--store', store, '--rules', rules],
      { env: KEY },
    );
    expect(created.code, created.stderr).toBe(0);
    const targetDb = `${db}_pr_1`;
    const restored = await runCli([
      'restore',
      '--snapshot',
      `${db}@latest`,
      '--store',
      store,
      '--to',
      servers.targetUri,
      '--db',
      targetDb,
    ]);
    expect(restored.code, restored.stderr).toBe(0);
    const back = await rawDocs(target, targetDb);
    let identical = 0;
    for (const [n, bytes] of stored) {
      expect(back.get(n)?.toString('hex'), `document ${n}`).toBe(bytes.toString('hex'));
      identical++;
    }
    await source.db(db).dropDatabase();
    await target.db(targetDb).dropDatabase();
    recordScenario({
      group: 'fidelity',
      scenario: 'type zoo through snapshot create --rules + restore (FerretDB to FerretDB)',
      runs: stored.size,
      survived: identical,
      nothingLost: identical === stored.size,
      detail: `byte-identical: ${identical}/${stored.size} stored by the server (the ${docs.length} types FerretDB stores; ${sameAsWritten.length} kept by it as written)`,
    });
  });
});
