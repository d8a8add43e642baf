import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { deserialize, EJSON } from 'bson';
import fc from 'fast-check';
import { MongoClient } from 'mongodb';
import { afterAll, describe, expect, it } from 'vitest';
import { readArchive, readDirectory, writeDump, type DumpFileSource } from '../../../src/archive/index.js';
import type { DumpEvent } from '../../../src/core/dump-event.js';
import { isDbforkError } from '../../../src/errors/index.js';
import {
  applyMutation,
  archiveFrames,
  bsonFrames,
  isNoOp,
  isUnchecked,
  mutationOf,
  type FrameSpan,
  type Mutation,
} from '../../helpers/dump-mutations.js';
import { recordScenario } from '../../helpers/reliability-record.js';
import { runCli } from '../../helpers/run-cli.js';
import { ATLAS_DUMP, testServers, testTool, TOOLS_ARCHIVES, uniqueDbName } from '../../helpers/servers.js';

const run = promisify(execFile);
const FULL = process.env.DBFORK_RELIABILITY_FULL === '1';
/** In-process archive mutations per run (≥ 10,000 in total); DBFORK_RELIABILITY_FULL=1 runs 10× more. */
const ARCHIVE_RUNS = FULL ? 100_000 : 10_500;
const BSON_RUNS = FULL ? 20_000 : 2_000;
const servers = testServers();
const TOOLS = testTool('TOOLS_BIN');

type Outcome = { ok: true; documents: Buffer[] } | { ok: false; error: unknown };

async function* once(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  yield bytes;
}

async function outcomeOf(events: AsyncIterable<DumpEvent>): Promise<Outcome> {
  const documents: Buffer[] = [];
  try {
    for await (const event of events) if (event.type === 'document') documents.push(Buffer.from(event.bson));
    return { ok: true, documents };
  } catch (error) {
    return { ok: false, error };
  }
}

/** An archive error (exit 4) — never a crash, a RangeError or an internal error. */
function isArchiveError(error: unknown): boolean {
  return isDbforkError(error) && error.category === 'archive';
}

/** A one-file directory dump held in memory: `<db>/<coll>.bson` and its metadata. */
function memoryDump(db: string, coll: string, bson: Uint8Array, metadata: string): DumpFileSource {
  const files = new Map<string, Uint8Array>([
    [`${db}/${coll}.bson`, bson],
    [`${db}/${coll}.metadata.json`, Buffer.from(metadata)],
  ]);
  return {
    name: 'dump',
    list: () => Promise.resolve([...files.keys()]),
    open: (path) => Promise.resolve(once(files.get(path) ?? new Uint8Array())),
    locate: (path) => `memory:${path}`,
  };
}

/** An archive of the Atlas sample users and sessions, written by dbfork's own writer. */
async function atlasArchive(path: string): Promise<Buffer> {
  const folder = mkdtempSync(join(tmpdir(), 'dbfork-fuzz-atlas-'));
  mkdirSync(join(folder, 'sample_mflix'));
  for (const f of ['sessions.bson', 'sessions.metadata.json', 'users.bson', 'users.metadata.json'])
    writeFileSync(join(folder, 'sample_mflix', f), readFileSync(join(ATLAS_DUMP, 'sample_mflix', f)));
  await writeDump(readDirectory(folder), path, { format: 'archive' });
  rmSync(folder, { recursive: true, force: true });
  return readFileSync(path);
}

describe('fuzzed dumps: rejected as archive errors before any write, or read as mongo-tools read them', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dbfork-fuzz-'));
  const target = new MongoClient(servers.targetUri);
  /** Rejected archive mutations kept for the CLI sample. */
  const rejectedSamples: Buffer[] = [];

  afterAll(async () => {
    await target.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it(`archives: ${ARCHIVE_RUNS} mutations in-process, every one under a CRC rejected, none a crash`, async () => {
    const inputs = [
      readFileSync(join(TOOLS_ARCHIVES, 'test.bar.archive')),
      readFileSync(join(TOOLS_ARCHIVES, 'dump-w-oplog.archive')),
      await atlasArchive(join(dir, 'atlas.archive')),
    ];
    const tally = { runs: 0, rejected: 0, acceptedPrelude: 0, noOps: 0, crashes: 0, underCrc: 0 };
    const started = Date.now();
    for (const [i, bytes] of inputs.entries()) {
      const frames = archiveFrames(bytes);
      const original = await outcomeOf(readArchive(once(bytes)));
      expect(original.ok).toBe(true);
      const documents = original.ok ? original.documents : [];
      // the larger Atlas archive gets 4 % of the runs (each read is ~30 KiB)
      const numRuns = Math.floor((i === 2 ? 0.04 : 0.48) * ARCHIVE_RUNS);
      await fc.assert(
        fc.asyncProperty(mutationOf(bytes, frames), async (m: Mutation) => {
          const mutated = applyMutation(bytes, frames, m);
          if (isNoOp(bytes, mutated)) {
            tally.noOps++;
            return;
          }
          tally.runs++;
          const inData = touchesData(bytes, frames, m);
          if (inData) tally.underCrc++;
          const outcome = await outcomeOf(readArchive(once(mutated)));
          if (!outcome.ok) {
            if (!isArchiveError(outcome.error)) tally.crashes++;
            expect(isArchiveError(outcome.error), String(outcome.error)).toBe(true);
            tally.rejected++;
            if (rejectedSamples.length < 40 && tally.rejected % 97 === 0) rejectedSamples.push(mutated);
            return;
          }
          // accepted: only a change of the archive header or prelude (no CRC covers them), data intact
          expect(inData, JSON.stringify(m)).toBe(false);
          expect(outcome.documents).toEqual(documents);
          tally.acceptedPrelude++;
        }),
        { numRuns, seed: 1600 + i, endOnFailure: true },
      );
    }
    const seconds = (Date.now() - started) / 1000;
    expect(tally.runs).toBeGreaterThanOrEqual(10_000);
    expect(tally.crashes).toBe(0);
    recordScenario({
      group: 'fuzz',
      scenario: 'archive mutations (bit flips, bytes, truncations, lengths, terminators), in-process',
      runs: tally.runs,
      survived: tally.rejected + tally.acceptedPrelude,
      nothingLost: tally.crashes === 0,
      detail: `rejected: ${tally.rejected} (all ${tally.underCrc} under a CRC); accepted prelude-only changes: ${tally.acceptedPrelude}; ${Math.round(tally.runs / seconds)}/s`,
    });
  }, 240_000);

  it('a 2 GB length field is refused without allocating it (archive and .bson)', async () => {
    const archive = readFileSync(join(TOOLS_ARCHIVES, 'dump-w-oplog.archive'));
    const frames = archiveFrames(archive);
    const bson = readFileSync(join(ATLAS_DUMP, 'sample_mflix', 'users.bson'));
    const before = process.memoryUsage().rss;
    let refused = 0;
    for (const [i, frame] of frames.entries()) {
      if (frame.role === 'magic' || frame.role === 'terminator') continue;
      const mutated = applyMutation(archive, frames, { kind: 'length', frame: i, value: 0x7fffffff });
      const outcome = await outcomeOf(readArchive(once(mutated)));
      expect(!outcome.ok && isDbforkError(outcome.error) && outcome.error.code).toBe('ARCHIVE_BAD_LENGTH');
      refused++;
    }
    const cut = Buffer.from(bson);
    cut.writeInt32LE(0x7fffffff, bsonFrames(bson)[3]!.offset);
    const outcome = await outcomeOf(readDirectory(memoryDump('db', 'users', cut, '{}')));
    expect(!outcome.ok && isDbforkError(outcome.error) && outcome.error.code).toBe('ARCHIVE_BAD_LENGTH');
    refused++;
    const grown = process.memoryUsage().rss - before;
    expect(grown).toBeLessThan(256 * 1024 * 1024);
    recordScenario({
      group: 'fuzz',
      scenario: '2 GB length fields (every frame of an archive, a .bson document)',
      runs: refused,
      survived: refused,
      nothingLost: true,
      detail: `ARCHIVE_BAD_LENGTH: ${refused}; RSS growth ${Math.round(grown / 1024 / 1024)} MiB`,
    });
  });

  it(`.bson files: ${BSON_RUNS} mutations in-process; every accepted one reads as bsondump reads it`, async () => {
    const metadata = readFileSync(join(ATLAS_DUMP, 'sample_mflix', 'users.metadata.json'), 'utf8');
    const bytes = readFileSync(join(ATLAS_DUMP, 'sample_mflix', 'users.bson'));
    const frames = bsonFrames(bytes);
    const boundaries = new Set(frames.map((f) => f.offset));
    const accepted: { mutated: Buffer; documents: Buffer[] }[] = [];
    const tally = { runs: 0, rejected: 0, accepted: 0, crashes: 0 };
    await fc.assert(
      fc.asyncProperty(mutationOf(bytes, frames), async (m: Mutation) => {
        const mutated = applyMutation(bytes, frames, m);
        if (isNoOp(bytes, mutated)) return;
        tally.runs++;
        const outcome = await outcomeOf(
          readDirectory(memoryDump('sample_mflix', 'users', mutated, metadata)),
        );
        if (!outcome.ok) {
          if (!isArchiveError(outcome.error)) tally.crashes++;
          expect(isArchiveError(outcome.error), String(outcome.error)).toBe(true);
          tally.rejected++;
          return;
        }
        // a cut is only accepted at a document boundary
        if (m.kind === 'truncate') expect(boundaries.has(m.length)).toBe(true);
        tally.accepted++;
        if (accepted.length < (FULL ? 400 : 12)) accepted.push({ mutated, documents: outcome.documents });
      }),
      { numRuns: BSON_RUNS, seed: 1700, endOnFailure: true },
    );
    // the independent decoder: bsondump (mongo-tools) on the same bytes
    let agreed = 0;
    for (const [i, { mutated, documents }] of accepted.entries()) {
      const file = join(dir, `accepted-${i}.bson`);
      writeFileSync(file, mutated);
      const { stdout } = await run(join(TOOLS, 'bsondump'), ['--quiet', file], {
        maxBuffer: 64 * 1024 * 1024,
      });
      const lines = stdout.split('\n').filter((l) => l.trim() !== '');
      expect(lines.length).toBe(documents.length);
      const ours = documents.map((d) => EJSON.stringify(deserialize(d), { relaxed: true }));
      const theirs = lines.map((l) => EJSON.stringify(EJSON.parse(l, { relaxed: true }), { relaxed: true }));
      expect(ours).toEqual(theirs);
      agreed++;
    }
    expect(tally.crashes).toBe(0);
    recordScenario({
      group: 'fuzz',
      scenario: '.bson file mutations (Atlas users.bson), in-process, accepted ones checked with bsondump',
      runs: tally.runs,
      survived: tally.rejected + tally.accepted,
      nothingLost: tally.crashes === 0 && agreed === accepted.length,
      detail: `rejected: ${tally.rejected}; accepted: ${tally.accepted} (bsondump agrees on ${agreed}/${accepted.length} checked)`,
    });
  }, 240_000);

  it('through the CLI: rejected archives leave no anonymize output and an untouched target', async () => {
    expect(rejectedSamples.length).toBeGreaterThan(5);
    const sample = rejectedSamples.slice(0, FULL ? 40 : 3);
    const key = { DBFORK_ANONYMIZATION_KEY: randomBytes(32).toString('base64') };
    const rules = join(dir, 'rules.yaml');
    writeFileSync(
      rules,
      'strict: false\nrules:\n  users:\n    fields:\n      email: { transform: hash_email }\n',
    );
    const db = `${uniqueDbName('fuzz')}_pr_1`;
    let ok = 0;
    await Promise.all(
      sample.map(async (bytes, i) => {
        const input = join(dir, `cli-${i}.archive`);
        const out = join(dir, `cli-out-${i}.archive`);
        writeFileSync(input, bytes);
        const anonymized = await runCli(
          [
            'anonymize',
            '--in',
            input,
            '--out',
            out,
            '--rules',
            rules,
            '--allow-unclassified',
            '--drop-oplog',
          ],
          { env: key },
        );
        expect(anonymized.code, anonymized.stderr).toBe(4);
        expect(anonymized.stderr).not.toMatch(/INTERNAL|\n\s+at /);
        expect(existsSync(out)).toBe(false);
        const restored = await runCli([
          'restore',
          '--in',
          input,
          '--to',
          servers.targetUri,
          '--db',
          db,
          '--no-anonymize',
        ]);
        expect(restored.code, restored.stderr).toBe(4);
        ok += 2;
      }),
    );
    const left = await target.db(db).listCollections().toArray();
    expect(left).toEqual([]);
    recordScenario({
      group: 'fuzz',
      scenario: 'rejected archive mutations through the CLI (anonymize, restore)',
      runs: sample.length * 2,
      survived: ok,
      nothingLost: left.length === 0,
      detail: `exit 4: ${ok}/${sample.length * 2}; anonymize outputs left: 0; target collections: ${left.length}`,
    });
  }, 240_000);
});

/** True when the mutation changes checked bytes: a namespace header, a document, a terminator, any framing. */
function touchesData(bytes: Uint8Array, frames: readonly FrameSpan[], m: Mutation): boolean {
  const dataRoles = new Set(['namespace', 'document', 'terminator']);
  switch (m.kind) {
    case 'flip':
    case 'set-byte':
      return !isUnchecked(bytes, frames, m.at);
    case 'length':
    case 'drop-terminator':
      return dataRoles.has(frames[m.frame]?.role ?? '');
    case 'truncate':
      return true;
  }
}
