import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { afterAll, describe, expect, it } from 'vitest';
import { writeDump } from '../../../src/archive/index.js';
import { parseRules } from '../../../src/config/load-rules.js';
import type { DumpEvent } from '../../../src/core/dump-event.js';
import { isDbforkError } from '../../../src/errors/index.js';
import { anonymizeDump } from '../../../src/pipeline/anonymize-dump.js';
import { failClosedAnonymizer } from '../../../src/pipeline/fail-closed-anonymizer.js';
import { inspectDump } from '../../../src/pipeline/inspect-dump.js';
import { keyedHasher } from '../../../src/transform/hasher.js';
import { malformedCorpus, typeZoo, type Malformed } from '../../helpers/bson-zoo.js';
import { recordScenario } from '../../helpers/reliability-record.js';
import { runCli, type CliResult } from '../../helpers/run-cli.js';
import { testServers, uniqueDbName } from '../../helpers/servers.js';

/** Every malformed document goes through the CLI with DBFORK_RELIABILITY_FULL=1; a sample otherwise. */
const FULL = process.env.DBFORK_RELIABILITY_FULL === '1';
const servers = testServers();
const KEY = randomBytes(32).toString('base64');
const ENV = { DBFORK_ANONYMIZATION_KEY: KEY };
const NS = { db: 'fz', collection: 'zoo' };
const WITH_RULES = 'strict: false\nrules:\n  zoo:\n    fields:\n      email: { transform: hash_email }\n';
const WITHOUT_RULES =
  'strict: false\nrules:\n  other:\n    fields:\n      email: { transform: hash_email }\n';

/** An archive of `fz.zoo` holding a valid type-zoo document, then `bad` (so `bad` is document 2). */
async function archiveWith(path: string, bad: Uint8Array): Promise<void> {
  async function* events(): AsyncGenerator<DumpEvent> {
    yield {
      type: 'prelude',
      serverVersion: '7.0.0',
      toolVersion: 'fuzz',
      concurrentCollections: 1,
      collections: [{ namespace: NS, collectionType: 'collection', metadataJson: '' }],
    };
    yield { type: 'document', namespace: NS, bson: typeZoo(1) };
    yield { type: 'document', namespace: NS, bson: bad };
    yield { type: 'end', namespace: NS };
  }
  await writeDump(events(), path, { format: 'archive' });
}

/** Run `tasks` with at most `limit` at once. */
async function pooled<T>(tasks: readonly (() => Promise<T>)[], limit: number): Promise<T[]> {
  const out: T[] = new Array<T>(tasks.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < tasks.length) {
      const i = next++;
      out[i] = await tasks[i]!();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
  return out;
}

describe('malformed documents are archive errors (exit 4) naming namespace and position', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dbfork-malformed-'));
  const corpus = malformedCorpus();
  const rulesWith = join(dir, 'with.yaml');
  const rulesWithout = join(dir, 'without.yaml');
  writeFileSync(rulesWith, WITH_RULES);
  writeFileSync(rulesWithout, WITHOUT_RULES);
  const target = new MongoClient(servers.targetUri);

  afterAll(async () => {
    await target.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it(`in-process: all ${corpus.length} through anonymize (with and without rules) and inspect`, async () => {
    expect(corpus.length).toBeGreaterThanOrEqual(50);
    const hasher = keyedHasher(randomBytes(32));
    let ok = 0;
    for (const [i, { kind, bytes }] of corpus.entries()) {
      const input = join(dir, `in-${i}.archive`);
      await archiveWith(input, bytes);
      for (const rules of [WITH_RULES, WITHOUT_RULES]) {
        const out = join(dir, `out-${i}.archive`);
        const error = await anonymizeDump(
          failClosedAnonymizer(parseRules(rules, 'r.yaml'), hasher, { allowUnclassified: true }),
          {
            in: input,
            out,
            gzip: false,
          },
        ).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(isDbforkError(error) && error.code, kind).toBe('ARCHIVE_BAD_DOCUMENT');
        expect(isDbforkError(error) && error.subject, kind).toMatchObject({
          namespace: 'fz.zoo',
          document: 2,
        });
        expect(existsSync(out), kind).toBe(false);
      }
      const inspected = await inspectDump(input).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(isDbforkError(inspected) && inspected.code, kind).toBe('ARCHIVE_BAD_DOCUMENT');
      expect(isDbforkError(inspected) && typeof inspected.subject.offset, kind).toBe('number');
      ok++;
    }
    recordScenario({
      group: 'fidelity',
      scenario: 'malformed documents: anonymize with/without rules, archive inspect (in-process)',
      runs: corpus.length * 3,
      survived: ok * 3,
      nothingLost: true,
      detail: `exit-4 errors with namespace and position: ${ok * 3}, INTERNAL: 0`,
    });
  });

  it('through the CLI: anonymize (with and without rules), archive inspect and restore exit 4, write nothing', async () => {
    const sample: Malformed[] = FULL ? corpus : corpus.filter((_, i) => i % 27 === 0);
    const db = `${uniqueDbName('malformed')}_pr_1`;
    const tasks: (() => Promise<{ kind: string; command: string; res: CliResult; out?: string }>)[] = [];
    for (const [i, { kind, bytes }] of sample.entries()) {
      const input = join(dir, `cli-${i}.archive`);
      await archiveWith(input, bytes);
      for (const [command, rules] of [
        ['anonymize with rules', rulesWith],
        ['anonymize without rules', rulesWithout],
      ] as const) {
        const out = join(dir, `cli-out-${i}-${command.length}.archive`);
        tasks.push(async () => ({
          kind,
          command,
          out,
          res: await runCli(
            ['anonymize', '--in', input, '--out', out, '--rules', rules, '--allow-unclassified'],
            { env: ENV },
          ),
        }));
      }
      tasks.push(async () => ({
        kind,
        command: 'archive inspect',
        res: await runCli(['archive', 'inspect', input]),
      }));
      tasks.push(async () => ({
        kind,
        command: 'restore',
        res: await runCli([
          'restore',
          '--in',
          input,
          '--to',
          servers.targetUri,
          '--db',
          db,
          '--no-anonymize',
        ]),
      }));
    }
    const results = await pooled(tasks, 6);
    let ok = 0;
    for (const { kind, command, res, out } of results) {
      const label = `${command}: ${kind}\n${res.stderr}`;
      expect(res.code, label).toBe(4);
      expect(res.stderr, label).toContain('fz.zoo');
      expect(res.stderr, label).toMatch(/document 2\b/);
      expect(res.stderr, label).not.toMatch(/INTERNAL|a bug in dbfork|\n\s+at /);
      if (out) expect(existsSync(out), label).toBe(false);
      ok++;
    }
    const collections = await target.db(db).listCollections().toArray();
    expect(collections).toEqual([]);
    recordScenario({
      group: 'fidelity',
      scenario: 'malformed documents through the CLI (anonymize ×2, archive inspect, restore)',
      runs: results.length,
      survived: ok,
      nothingLost: collections.length === 0,
      detail: `exit 4: ${ok}/${results.length}; target collections written: ${collections.length}`,
    });
  });
});
