import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deserialize, serialize } from 'bson';
import { MongoClient, MongoServerError } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readDump, writeDump } from '../../src/archive/index.js';
import { runCli } from '../helpers/run-cli.js';
import { ATLAS_DUMP, testServers, uniqueDbName } from '../helpers/servers.js';

const servers = testServers();
const RULES = 'examples/atlas-sample.rules.yaml';
const KEY = { DBFORK_ANONYMIZATION_KEY: 'integration-test-key-0123456789' };

function documentsOf(file: string): Record<string, unknown>[] {
  const bytes = readFileSync(file);
  const out: Record<string, unknown>[] = [];
  for (let at = 0; at < bytes.length; at += bytes.readInt32LE(at))
    out.push(deserialize(bytes.subarray(at, at + bytes.readInt32LE(at))));
  return out;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((f) => join(dir, f))
    .filter((f) => statSync(f).isFile());
}

/**
 * `grep -w` on bytes: `needle` occurs with no letter or digit right before or after it. (A plain
 * substring search flags fakes that merely contain an original, e.g. the username "twright" inside a
 * faked "Cartwright".)
 */
function containsWord(haystack: Buffer, needle: string): boolean {
  const n = Buffer.from(needle, 'utf8');
  const word = (b: number | undefined) => b !== undefined && /[A-Za-z0-9]/.test(String.fromCharCode(b));
  for (let at = haystack.indexOf(n); at >= 0; at = haystack.indexOf(n, at + 1)) {
    if (!word(haystack[at - 1]) && !word(haystack[at + n.length])) return true;
  }
  return false;
}

/** A string as BSON encodes a string value: int32 length (with the NUL), UTF-8 bytes, NUL. */
function bsonString(s: string): Buffer {
  const body = Buffer.from(s, 'utf8');
  const len = Buffer.alloc(4);
  len.writeInt32LE(body.length + 1);
  return Buffer.concat([len, body, Buffer.from([0])]);
}

describe('dbfork anonymize on the Atlas sample dump', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dbfork-anon-'));
  const out = join(dir, 'anonymized');
  const target = new MongoClient(servers.targetUri);
  const targetDb = uniqueDbName('anon_mflix');

  beforeAll(async () => {
    const result = await runCli(['anonymize', '--in', ATLAS_DUMP, '--out', out, '--rules', RULES], {
      env: KEY,
    });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  });

  afterAll(async () => {
    await target.db(targetDb).dropDatabase();
    await target.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('the original has personal data the scan finds (so a clean scan below means something)', async () => {
    const scan = await runCli(['scan', '--in', ATLAS_DUMP, '--sample', '0', '--json']);
    expect(scan.code).toBe(1);
    const report = JSON.parse(scan.stdout.trim().split('\n').at(-1)!).result as {
      findings: { path: string }[];
    };
    expect(report.findings.map((f) => f.path)).toEqual(expect.arrayContaining(['email', 'name', 'address']));
  });

  it('dbfork scan --rules --strict on the output: zero findings, zero unclassified fields', async () => {
    const scan = await runCli(['scan', '--in', out, '--rules', RULES, '--strict', '--sample', '0', '--json']);
    const report = JSON.parse(scan.stdout.trim().split('\n').at(-1)!).result as {
      findings: unknown[];
      unclassified: unknown[];
      namespaces: { sampledDocuments: number }[];
    };
    expect(report.findings).toEqual([]);
    expect(report.unclassified).toEqual([]);
    expect(report.namespaces.reduce((n, s) => n + s.sampledDocuments, 0)).toBe(500 + 1746 + 185 + 1 + 1564);
    expect(scan.code).toBe(0);
  });

  it('no original email, name, username or address appears anywhere in the output bytes', () => {
    const originals = new Set<string>();
    for (const d of documentsOf(join(ATLAS_DUMP, 'sample_analytics/customers.bson')))
      for (const k of ['username', 'name', 'address', 'email']) originals.add(d[k] as string);
    for (const d of documentsOf(join(ATLAS_DUMP, 'sample_mflix/users.bson')))
      for (const k of ['name', 'email']) originals.add(d[k] as string);
    for (const d of documentsOf(join(ATLAS_DUMP, 'sample_mflix/sessions.bson')))
      originals.add(d.user_id as string);
    expect(originals.size).toBeGreaterThan(2000);
    const bytes = Buffer.concat(filesUnder(out).map((f) => readFileSync(f)));
    // every original as an encoded BSON string value (exact), and as a whole word anywhere in the bytes
    const asValue = [...originals].filter((s) => bytes.includes(bsonString(s)));
    const asText = [...originals].filter((s) => containsWord(bytes, s));
    expect(asValue).toEqual([]);
    expect(asText).toEqual([]);
  });

  it('the same key gives byte-identical output (archive to stdout, via --in - --out -, matches too)', async () => {
    const again = join(dir, 'again');
    expect(
      (await runCli(['anonymize', '--in', ATLAS_DUMP, '--out', again, '--rules', RULES], { env: KEY })).code,
    ).toBe(0);
    for (const f of filesUnder(out).filter((p) => p.endsWith('.bson'))) {
      expect(readFileSync(f.replace(out, again)).equals(readFileSync(f))).toBe(true);
    }
    const rawArchive = join(dir, 'raw.archive');
    await writeDump(readDump(ATLAS_DUMP), rawArchive, { format: 'archive' });
    const piped = execFileSync(
      process.execPath,
      ['dist/cli/main.js', 'anonymize', '--in', '-', '--out', '-', '--rules', RULES],
      {
        input: readFileSync(rawArchive),
        env: { ...process.env, ...KEY },
        maxBuffer: 64 * 1024 * 1024,
      },
    );
    const pipedArchive = join(dir, 'piped.archive');
    writeFileSync(pipedArchive, piped);
    const users: Buffer[] = [];
    for await (const e of readDump(pipedArchive))
      if (e.type === 'document' && e.namespace.collection === 'users') users.push(Buffer.from(e.bson));
    expect(Buffer.concat(users).equals(readFileSync(join(out, 'sample_mflix/users.bson')))).toBe(true);
  });

  it('restores into the target and the unique email index holds', async () => {
    execFileSync(
      join(servers.toolsBin, 'mongorestore'),
      [
        `--uri=${servers.targetUri}`,
        `--dir=${out}`,
        '--nsInclude=sample_mflix.users',
        '--nsFrom=sample_mflix.*',
        `--nsTo=${targetDb}.*`,
        '--noIndexRestore',
      ],
      { stdio: 'pipe' },
    );
    const users = target.db(targetDb).collection('users');
    expect(await users.countDocuments()).toBe(185);
    // the index as the source metadata declares it (email_1, unique), without ns/v
    await users.createIndex({ email: 1 }, { name: 'email_1', unique: true });
    const sample = await users.findOne({}, { sort: { _id: 1 } });
    expect(sample?.email).toMatch(/^[0-9a-f]{12}\.[0-9a-f]{4}@anonymized\.dbfork\.local$/);
    const duplicate = users.insertOne({ name: 'Dup', email: sample?.email as string });
    await expect(duplicate).rejects.toBeInstanceOf(MongoServerError);
    await expect(duplicate).rejects.toMatchObject({ code: 11000 });
    expect(await users.countDocuments()).toBe(185);
  });
});

describe('dbfork anonymize refuses before writing anything', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dbfork-anon-bad-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each([
    [
      'an unknown transform',
      'rules:\n  users:\n    fields:\n      email:\n        transform: hash_emial\n',
      'RULES_UNKNOWN_TRANSFORM',
      ':5:',
    ],
    [
      'a bad path',
      'rules:\n  users:\n    fields:\n      "a..b": { transform: hash }\n',
      'RULES_BAD_PATH',
      ':4:',
    ],
    [
      'a YAML syntax error',
      'rules:\n  users:\n    fields:\n      x: [transform: hash\n',
      'RULES_SYNTAX',
      ':5:',
    ],
  ])('%s: one clear error with file:line, exit 2, no output', async (_what, text, code, line) => {
    const rules = join(dir, `${code}.yaml`);
    writeFileSync(rules, text);
    const target = join(dir, `${code}-out`);
    const result = await runCli(['anonymize', '--in', ATLAS_DUMP, '--out', target, '--rules', rules], {
      env: KEY,
    });
    expect(result.code).toBe(2);
    const lines = result.stderr.trim().split('\n');
    expect(lines[0]).toContain(`error ${code}: ${rules}${line}`);
    expect(lines.filter((l) => l.includes('error'))).toHaveLength(1);
    expect(existsSync(target)).toBe(false);
    expect(readdirSync(dir).filter((f) => f.includes('-out'))).toEqual([]);
  });

  it('without a key: policy error (exit 8), no output, and the key is never printed', async () => {
    const target = join(dir, 'nokey-out');
    const result = await runCli(['anonymize', '--in', ATLAS_DUMP, '--out', target, '--rules', RULES], {
      env: { DBFORK_ANONYMIZATION_KEY: '' },
    });
    expect(result.code).toBe(8);
    expect(result.stderr).toContain('ANONYMIZATION_KEY_MISSING');
    expect(existsSync(target)).toBe(false);
    const weak = await runCli(
      ['anonymize', '--in', ATLAS_DUMP, '--out', target, '--rules', RULES, '--json'],
      { env: { DBFORK_ANONYMIZATION_KEY: 'tooshort-9' } },
    );
    expect(weak.code).toBe(8);
    expect(weak.stdout + weak.stderr).not.toContain('tooshort-9');
  });

  it('a transform failure mid-stream leaves no output folder', async () => {
    const rules = join(dir, 'mismatch.yaml');
    writeFileSync(
      rules,
      'rules:\n  accounts:\n    fields:\n      products: { transform: hash_email }\n    keep: [_id, account_id, limit]\nexclusions: [customers, sample_mflix.*]\n',
    );
    const target = join(dir, 'mismatch-out');
    const result = await runCli(['anonymize', '--in', ATLAS_DUMP, '--out', target, '--rules', rules], {
      env: KEY,
    });
    expect(result.code).toBe(5);
    expect(result.stderr).toContain('TRANSFORM_TYPE_MISMATCH');
    expect(readdirSync(dir).filter((f) => f.includes('mismatch-out'))).toEqual([]);
  });

  it('serialize sanity: the helper encodes strings as BSON does', () => {
    expect(Buffer.from(serialize({ s: 'abc' })).includes(bsonString('abc'))).toBe(true);
  });
});
