import { EJSON } from 'bson';
import { describe, expect, it } from 'vitest';
import type { CollectionEntry } from '../../../src/core/dump-event.js';
import { normalizeIndexSpec } from '../../../src/target/index-spec.js';
import { namespaceRenamer } from '../../../src/restore/ns-renamer.js';
import { planRestore } from '../../../src/restore/restore-plan.js';
import { verifyCollection } from '../../../src/restore/verify-collection.js';
import { evaluateTargetGuard } from '../../../src/target/guard/target-guard.js';
import { isDbforkError } from '../../../src/errors/index.js';

describe('namespace renaming (--ns-from/--ns-to)', () => {
  it('substitutes $var$ wildcards, first matching pair wins, dots allowed in a variable', () => {
    const rename = namespaceRenamer(
      ['prod.users', 'prod.$c$', '$db$.logs.$rest$'],
      ['t.people', 't.x_$c$', 't.$db$_$rest$'],
    );
    expect(rename('prod.users')).toBe('t.people');
    expect(rename('prod.orders.2024')).toBe('t.x_orders.2024');
    expect(rename('other.logs.a.b')).toBe('t.other_a.b');
    expect(rename('other.users')).toBeUndefined();
  });

  it('treats regex characters literally', () => {
    const rename = namespaceRenamer(['prod.a+b'], ['t.c']);
    expect(rename('prod.a+b')).toBe('t.c');
    expect(rename('prod.aab')).toBeUndefined();
  });

  it('rejects unpaired lists and unknown variables', () => {
    expect(() => namespaceRenamer(['a.$x$'], [])).toThrow(/--ns-from is given 1 times/);
    expect(() => namespaceRenamer(['a.$x$'], ['b.$y$'])).toThrow(/does not define/);
  });
});

describe('index option normalization', () => {
  it('drops v, ns and dropDups, keeps the rest, skips _id_', () => {
    expect(
      normalizeIndexSpec({
        v: 2,
        key: { a: 1 },
        name: 'a_1',
        ns: 'db.c',
        unique: true,
        dropDups: true,
        sparse: true,
      }),
    ).toEqual({
      name: 'a_1',
      key: { a: 1 },
      options: { unique: true, sparse: true },
    });
    expect(normalizeIndexSpec({ v: 2, key: { _id: 1 }, name: '_id_' })).toBeUndefined();
    expect(normalizeIndexSpec({ v: 2, key: { _id: -1 }, name: '_id_-1' })?.name).toBe('_id_-1');
    expect(normalizeIndexSpec({ v: 2, name: 'nokey' })).toBeUndefined();
  });
});

function entry(collection: string, type = 'collection', indexes: object[] = []): CollectionEntry {
  return {
    namespace: { db: 'prod', collection },
    collectionType: type,
    metadataJson: EJSON.stringify(
      { options: {}, indexes: [{ v: 2, key: { _id: 1 }, name: '_id_' }, ...indexes] },
      { relaxed: false },
    ),
  };
}

describe('restore plan', () => {
  const guard = evaluateTargetGuard({ uri: 'mongodb://h/', db: 'app_pr_1' });
  const entries = [
    entry('users', 'collection', [
      { v: 2, key: { email: 1 }, name: 'email_1', unique: true, ns: 'prod.users' },
    ]),
    entry('orders'),
    entry('system.profile'),
    entry('active_users', 'view'),
    entry('oplog', ''),
    entry('snapshot_metadata'),
    entry('__dbfork_tmp_deadbeef_users'),
  ];

  it('maps every namespace into the target db and says why others are skipped (printable JSON)', () => {
    const plan = planRestore(entries, { targetDb: 'app_pr_1' }, guard, 'r1');
    expect(
      JSON.parse(JSON.stringify(plan)).collections.map(
        (c: { source: string; action: string; target: string; temp: string; reason?: string }) => [
          c.source,
          c.action,
          c.target,
          c.reason ?? c.temp,
        ],
      ),
    ).toEqual([
      ['prod.users', 'restore', 'users', '__dbfork_tmp_r1_users'],
      ['prod.orders', 'restore', 'orders', '__dbfork_tmp_r1_orders'],
      ['prod.system.profile', 'skip', 'system.profile', 'a system collection'],
      ['prod.active_users', 'skip', 'active_users', 'a view, not a data collection'],
      ['prod.oplog', 'skip', 'oplog', 'a special entry (oplog), not a data collection'],
      [
        'prod.snapshot_metadata',
        'skip',
        'snapshot_metadata',
        "dbfork writes the target's snapshot_metadata itself",
      ],
      ['prod.__dbfork_tmp_deadbeef_users', 'skip', '__dbfork_tmp_deadbeef_users', 'a dbfork work collection'],
    ]);
    expect(JSON.parse(JSON.stringify(plan.collections[0]?.indexes))).toEqual([
      { name: 'email_1', key: { email: 1 }, options: { unique: true } },
    ]);
    expect(plan.guard.allowed).toBe(true);
  });

  it('--collections selects a subset and warns about names the dump lacks', () => {
    const plan = planRestore(entries, { targetDb: 'app_pr_1', collections: ['orders', 'nope'] }, guard, 'r1');
    expect(plan.collections.filter((c) => c.action === 'restore').map((c) => c.source)).toEqual([
      'prod.orders',
    ]);
    expect(plan.warnings).toEqual(['--collections names nope, which the dump does not hold']);
  });

  it('refuses a rename that leaves the target db or makes two namespaces collide', () => {
    const outside = () =>
      planRestore(entries, { targetDb: 'app_pr_1', nsFrom: ['prod.$c$'], nsTo: ['prod.$c$'] }, guard, 'r1');
    expect(outside).toThrow(/outside the target database/);
    try {
      planRestore(
        entries,
        { targetDb: 'app_pr_1', nsFrom: ['prod.$c$'], nsTo: ['app_pr_1.same'] },
        guard,
        'r1',
      );
      expect.unreachable();
    } catch (error) {
      expect(isDbforkError(error) && error.code).toBe('NS_COLLISION');
    }
  });
});

describe('verification', () => {
  const base = {
    expected: null,
    streamDocuments: 3,
    sha256: 'ab',
    crc64: null,
    archiveCrc64: undefined,
    sentDocuments: 3,
    serverDocuments: 3,
  };
  it('passes on equal counts with nothing to compare', () => {
    expect(verifyCollection(base)).toMatchObject({
      ok: true,
      checksum: 'not-checked',
      expectedDocuments: null,
    });
  });
  it('fails on a server count or manifest count difference, and on a checksum mismatch', () => {
    expect(verifyCollection({ ...base, serverDocuments: 2 }).ok).toBe(false);
    expect(verifyCollection({ ...base, expected: { namespace: 'a.b', documents: 4 } }).ok).toBe(false);
    expect(
      verifyCollection({ ...base, expected: { namespace: 'a.b', documents: 3, sha256: 'AB' } }),
    ).toMatchObject({ ok: true, checksum: 'ok' });
    expect(
      verifyCollection({ ...base, expected: { namespace: 'a.b', documents: 3, sha256: 'cd' } }),
    ).toMatchObject({ ok: false, checksum: 'mismatch' });
    expect(verifyCollection({ ...base, crc64: '000000000000000f', archiveCrc64: 15n })).toMatchObject({
      ok: true,
      checked: ['archive-crc64'],
    });
    expect(verifyCollection({ ...base, crc64: '000000000000000f', archiveCrc64: 16n }).ok).toBe(false);
  });
});
