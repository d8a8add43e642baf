import { describe, expect, it } from 'vitest';
import { isDbforkError } from '../../../src/errors/index.js';
import { MemoryObjectStore } from '../../../src/store/memory/memory-object-store.js';
import { ObjectSnapshotCatalog } from '../../../src/store/object-snapshot-catalog.js';
import { isSnapshotDate } from '../../../src/store/snapshot-date.js';
import { parseSnapshotRef } from '../../../src/store/snapshot-ref.js';
import { testManifest } from '../../helpers/manifest.js';

/** A catalogue holding complete snapshots of `prod` taken at `times`, plus one incomplete at `pending`. */
async function catalogAt(times: readonly string[], pending?: string) {
  let now = new Date(0);
  const catalog = new ObjectSnapshotCatalog(new MemoryObjectStore('dates'), { now: () => now });
  const ids: Record<string, string> = {};
  for (const t of times) {
    now = new Date(t);
    const p = await catalog.begin('prod');
    await catalog.commit(p, testManifest('prod', p.id, t));
    ids[t] = p.id;
  }
  if (pending) {
    now = new Date(pending);
    ids[pending] = (await catalog.begin('prod')).id;
  }
  return { catalog, ids };
}

async function failure(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    if (isDbforkError(error)) return error;
    throw error;
  }
  throw new Error('expected a failure');
}

describe('snapshot selection by UTC day (name@YYYY-MM-DD)', () => {
  it('resolves to the newest complete snapshot taken that UTC day, never an incomplete one', async () => {
    const { catalog, ids } = await catalogAt(
      [
        '2026-01-08T23:59:59.000Z',
        '2026-01-09T00:00:00.000Z',
        '2026-01-09T13:00:00.000Z',
        '2026-01-10T00:00:01.000Z',
      ],
      '2026-01-09T20:00:00.000Z',
    );
    const { manifest } = await catalog.resolve(parseSnapshotRef('prod@2026-01-09'));
    expect(manifest.id).toBe(ids['2026-01-09T13:00:00.000Z']);
    expect((await catalog.resolve(parseSnapshotRef('prod@2026-01-08'))).manifest.id).toBe(
      ids['2026-01-08T23:59:59.000Z'],
    );
  });

  it('a day without one fails with SNAPSHOT_NOT_FOUND listing the nearest days that have one', async () => {
    const { catalog } = await catalogAt([
      '2026-01-02T10:00:00.000Z',
      '2026-01-07T10:00:00.000Z',
      '2026-01-07T11:00:00.000Z',
      '2026-01-12T10:00:00.000Z',
      '2026-02-01T10:00:00.000Z',
    ]);
    const error = await failure(catalog.resolve(parseSnapshotRef('prod@2026-01-09')));
    expect(error.code).toBe('SNAPSHOT_NOT_FOUND');
    expect(error.category).toBe('store');
    expect(error.message).toBe(
      'no complete snapshot prod was taken on 2026-01-09 (UTC); nearest days with one: 2026-01-02, 2026-01-07, 2026-01-12',
    );
    expect(error.hint).toContain('prod@2026-01-07');
  });

  it('a name without complete snapshots says so', async () => {
    const { catalog } = await catalogAt([], '2026-01-09T10:00:00.000Z');
    const error = await failure(catalog.resolve(parseSnapshotRef('prod@2026-01-09')));
    expect(error.message).toBe('no complete snapshot prod was taken on 2026-01-09 (UTC)');
  });

  it('parses real calendar dates only', () => {
    expect(parseSnapshotRef('prod@2026-01-09')).toEqual({ name: 'prod', id: '2026-01-09' });
    expect(isSnapshotDate('2024-02-29')).toBe(true);
    for (const bad of ['prod@2026-02-30', 'prod@2026-13-01', 'prod@2025-02-29']) {
      expect(() => parseSnapshotRef(bad)).toThrow(/not a snapshot reference/);
    }
  });
});
