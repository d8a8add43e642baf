import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluateTargetGuard, type TargetGuardConfig } from '../../../src/target/guard/target-guard.js';

/**
 * Servers by identity, each with several spellings of the same host:port. The oracle compares
 * identities (known by construction), the guard only sees the rendered URIs.
 */
const SERVERS: readonly { id: string; spellings: readonly string[] }[] = [
  {
    id: 'prod-a',
    spellings: [
      'db1.example.com',
      'DB1.Example.COM',
      'db1.example.com.',
      'db1.example.com:27017',
      'Db1.EXAMPLE.com.:27017',
    ],
  },
  { id: 'prod-b', spellings: ['db2.example.com:27018', 'DB2.example.com:27018', 'db2.example.com.:27018'] },
  {
    id: 'local',
    spellings: [
      'localhost',
      '127.0.0.1',
      '[::1]',
      'LOCALHOST:27017',
      '127.0.0.1:27017',
      '[::1]:27017',
      '127.1',
      '2130706433',
      '0x7f.1',
      '[::ffff:127.0.0.1]',
    ],
  },
  { id: 'local-2', spellings: ['localhost:37018', '127.0.0.1:37018', '[::1]:37018'] },
  { id: 'staging', spellings: ['staging.internal:27017', 'STAGING.internal', 'staging.internal.'] },
  { id: '10.0.0.5', spellings: ['10.0.0.5', '10.0.0.5:27017', '0xa.0.0.5', '167772165'] },
];

const SYSTEM = ['admin', 'local', 'config'];
const PROTECTED = ['prod_app', 'Snapshots', 'syrftest', 'syrf_snapshot'];

const server = fc.integer({ min: 0, max: SERVERS.length - 1 });
const spellingOf = (i: number): fc.Arbitrary<string> => fc.constantFrom(...(SERVERS[i]?.spellings ?? []));
const hostSet = fc.uniqueArray(server, { minLength: 1, maxLength: 3 });

/** Random casing of a name. */
const recase = (name: string): fc.Arbitrary<string> =>
  fc.array(fc.boolean(), { minLength: name.length, maxLength: name.length }).map((flags) =>
    name
      .split('')
      .map((ch, i) => (flags[i] ? ch.toUpperCase() : ch.toLowerCase()))
      .join(''),
  );

const credentials = fc.constantFrom('', 'user:pass@', 'restore:p%40ss@', 'u@', 'admin:x@');
const query = fc.constantFrom(
  '',
  '/',
  '/?directConnection=true',
  '/admin?replicaSet=rs0&authSource=admin',
  '/?readPreference=secondary',
);

/** Render a URI for a set of server identities, seeds in a random order, random spellings. */
const uriFor = (ids: readonly number[]): fc.Arbitrary<string> =>
  fc
    .tuple(
      fc.shuffledSubarray([...ids], { minLength: ids.length, maxLength: ids.length }),
      credentials,
      query,
      fc.constantFrom('mongodb', 'MongoDB', 'MONGODB'),
    )
    .chain(([order, cred, q, scheme]) =>
      fc.tuple(...order.map(spellingOf)).map((hosts) => `${scheme}://${cred}${hosts.join(',')}${q}`),
    );

const validDbName = fc.stringMatching(/^[A-Za-z0-9_-]{1,40}$/);

/** Options that try everything to let a target through. */
const permissive = (db: string): fc.Arbitrary<Omit<TargetGuardConfig, 'source' | 'protectedDbs'>> =>
  fc.record({
    ephemeralPattern: fc.constantFrom('_pr_[0-9]+$', '.*', '', db.replace(/[^A-Za-z0-9_]/g, '.')),
    allowTargets: fc.constantFrom([], ['.*'], [''], ['^.*$', 'x']),
    confirm: fc.constantFrom(db, db.toLowerCase(), ''),
  });

describe('target guard property: a protected target never passes', () => {
  it('system and configured protected names, in any case, under the most permissive options (10k runs)', () => {
    const input = fc
      .constantFrom(...SYSTEM, ...PROTECTED)
      .chain(recase)
      .chain((db) => fc.tuple(fc.constant(db), permissive(db), hostSet.chain(uriFor)));
    fc.assert(
      fc.property(input, ([db, opts, uri]) => {
        const verdict = evaluateTargetGuard({ uri, db }, { ...opts, protectedDbs: PROTECTED });
        expect(verdict.allowed).toBe(false);
        expect(['system-db', 'protected-db']).toContain(verdict.rule);
      }),
      { numRuns: 10_000 },
    );
  });

  it('the snapshot source itself: same db (any case) and any shared server, however spelled (10k runs)', () => {
    const input = fc
      .tuple(validDbName, hostSet, fc.uniqueArray(server, { maxLength: 2 }), fc.nat())
      .chain(([db, sourceIds, extraIds, pick]) => {
        const shared = sourceIds[pick % sourceIds.length] as number;
        const targetIds = [...new Set([shared, ...extraIds])];
        return fc.tuple(fc.constant(db), uriFor(sourceIds), uriFor(targetIds), recase(db), permissive(db));
      });
    fc.assert(
      fc.property(input, ([db, sourceUri, targetUri, targetDb, opts]) => {
        const verdict = evaluateTargetGuard(
          { uri: targetUri, db: targetDb },
          { ...opts, source: { uri: sourceUri.replace(/\/\/[^@/]*@/, '//'), db } },
        );
        expect(verdict.allowed).toBe(false);
        expect(['source-itself', 'system-db']).toContain(verdict.rule);
      }),
      { numRuns: 10_000 },
    );
  });

  it('arbitrary names, URIs and options: whatever passes is not protected by an independent oracle (10k runs)', () => {
    const anyName = fc.oneof(
      validDbName,
      fc.constantFrom(...SYSTEM, ...PROTECTED).chain(recase),
      fc.string({ maxLength: 70 }),
    );
    const input = fc
      .tuple(anyName, hostSet, fc.option(fc.tuple(anyName, hostSet), { nil: undefined }))
      .chain(([db, targetIds, source]) =>
        fc.tuple(
          fc.constant(db),
          fc.constant(targetIds),
          fc.constant(source),
          uriFor(targetIds),
          uriFor(source?.[1] ?? [0]),
          permissive(db),
        ),
      );
    let passed = 0;
    fc.assert(
      fc.property(input, ([db, targetIds, source, targetUri, sourceUri, opts]) => {
        let verdict;
        try {
          verdict = evaluateTargetGuard(
            { uri: targetUri, db },
            {
              ...opts,
              protectedDbs: PROTECTED,
              ...(source ? { source: { uri: sourceUri, db: source[0] } } : {}),
            },
          );
        } catch {
          return; // an invalid generated regex: the CLI validates patterns before the guard runs
        }
        if (!verdict.allowed) return;
        passed++;
        const folded = db.toLowerCase();
        expect(SYSTEM).not.toContain(folded);
        expect(PROTECTED.map((p) => p.toLowerCase())).not.toContain(folded);
        if (source && source[0].toLowerCase() === folded) {
          expect(targetIds.some((id) => source[1].includes(id))).toBe(false);
        }
      }),
      { numRuns: 10_000 },
    );
    expect(passed).toBeGreaterThan(100); // the oracle really ran on allowed targets
  });
});
