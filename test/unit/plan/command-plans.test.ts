import { describe, expect, it } from 'vitest';
import { connectionFrom } from '../../../src/cli/connection-options.js';
import { isDbforkError } from '../../../src/errors/index.js';
import { planRestoreCommand } from '../../../src/pipeline/restore-command-plan.js';
import { planSnapshotPrune } from '../../../src/pipeline/snapshot-prune-plan.js';
import type { RestoreRunParams } from '../../../src/pipeline/operations/restore-run-operation.js';
import { planOperations } from '../../../src/pipeline/operations/plan-operations.js';
import { serializePlan } from '../../../src/plan/serialize-plan.js';
import type { SnapshotInfo } from '../../../src/store/snapshot-catalog.js';
import { evaluateTargetGuard } from '../../../src/target/guard/target-guard.js';
import { testManifest } from '../../helpers/manifest.js';

const restore = (input: RestoreRunParams['input']): RestoreRunParams => ({
  input,
  target: { env: 'TARGET_URI' },
  db: 'app_pr_1',
  guard: { ephemeralPattern: '_pr_[0-9]+$', allowTargets: [], protectedDbs: [] },
  anonymization: { none: true },
  nsFrom: [],
  nsTo: [],
  collections: [],
  strictIndexes: false,
  exactCount: false,
  parallelCollections: 4,
  insertWorkers: 4,
});
const guard = evaluateTargetGuard({ uri: 'mongodb://h/', db: 'app_pr_1' });

describe('command planners', () => {
  it('restore: waits first when asked, never retries a restore from stdin, and every params parse', () => {
    const waited = planRestoreCommand({
      restore: restore({ snapshot: 'prod@latest', store: 'file:///s' }),
      wait: { waitMs: 60_000, intervalMs: 5_000 },
      guard,
    });
    expect(waited.operations.map((o) => [o.kind, o.waitFor?.timeoutMs])).toEqual([
      ['snapshot.await', 60_000],
      ['restore.run', undefined],
    ]);
    expect(waited.guard).toEqual({ allowed: true, rule: 'ephemeral', code: null, reason: guard.reason });
    const stdin = planRestoreCommand({ restore: restore({ dump: '-' }), guard });
    expect(stdin.operations.map((o) => o.kind)).toEqual(['restore.run']);
    expect(stdin.operations[0]?.aspects).not.toContain('retryable');
    const registry = planOperations();
    for (const op of waited.operations)
      expect(registry.get(op.kind).params.safeParse(op.params).success).toBe(true);
    expect(serializePlan(waited)).toContain('"env": "TARGET_URI"');
  });

  it('prune: one delete per snapshot that goes, never latest, abandoned ones included', () => {
    const info = (id: string, day: number, complete = true, inProgress = false): SnapshotInfo => ({
      name: 'prod',
      id,
      status: complete ? 'complete' : 'incomplete',
      inProgress,
      isLatest: false,
      lease: null,
      manifest: complete ? testManifest('prod', id, new Date(Date.UTC(2026, 10, day)).toISOString()) : null,
    });
    const { plan, rows } = planSnapshotPrune('file:///s', { last: 1 }, [
      {
        name: 'prod',
        latest: 'a1',
        snapshots: [
          info('c3', 3),
          info('b2', 2),
          info('a1', 1),
          info('x9', 0, false),
          info('y8', 0, false, true),
        ],
      },
    ]);
    expect(rows.filter((r) => r.action === 'keep').map((r) => r.id)).toEqual(['c3', 'a1']);
    expect(plan.operations.map((o) => [o.params.id, o.params.expect])).toEqual([
      ['b2', 'complete'],
      ['x9', 'abandoned'],
    ]);
    expect(plan.operations.every((o) => o.aspects.includes('needs-confirmation'))).toBe(true);
  });

  it('connections: a credential-free literal is kept, a password becomes a reference to this run', () => {
    expect(connectionFrom({ value: 'mongodb://h:1/' }, '--to').ref).toEqual({ uri: 'mongodb://h:1/' });
    expect(connectionFrom({ env: 'X' }, '--to').ref).toEqual({ env: 'X' });
    const withPassword = connectionFrom({ value: 'mongodb://u:pw-123456@h/' }, '--to');
    expect(withPassword).toEqual({ ref: { arg: '--to' }, args: { '--to': 'mongodb://u:pw-123456@h/' } });
    for (const [flags, saving, code] of [
      [{ value: 'mongodb://u:pw-123456@h/' }, true, 'PLAN_NEEDS_REFERENCE'],
      [{}, false, 'CONFIG_BAD_OPTION'],
      [{ value: 'mongodb://h/', env: 'X' }, false, 'CONFIG_BAD_OPTION'],
    ] as const) {
      let thrown: unknown;
      try {
        connectionFrom(flags, '--to', saving);
      } catch (error) {
        thrown = error;
      }
      expect(isDbforkError(thrown) && thrown.code).toBe(code);
    }
  });
});
