import { describe, expect, it } from 'vitest';
import {
  planPreviewApply,
  type PreviewApplyPlanInput,
} from '../../../src/pipeline/preview/plan-preview-apply.js';
import { decide } from '../../../src/preview/decide.js';
import type { PreviewInput } from '../../../src/preview/preview-input.js';
import { evaluateTargetGuard } from '../../../src/target/guard/target-guard.js';

const guard = { ephemeralPattern: '_pr_[0-9]+$', allowTargets: [], protectedDbs: [] };

function plan(input: PreviewInput, over: Partial<PreviewApplyPlanInput> = {}) {
  const decision = decide(input);
  return planPreviewApply({
    decision,
    pr: 12,
    state: input.database,
    target: { env: 'TARGET_URI' },
    guard,
    verdict: evaluateTargetGuard({ uri: 'mongodb://h/', db: decision.database }, guard),
    seed: { dump: '/seed/dump' },
    snapshot: { store: 'file:///s', ref: 'prod@20260111T030000000Z-abcd' },
    anonymization: null,
    load: { strictIndexes: false, exactCount: false, parallelCollections: 4, insertWorkers: 4 },
    labels: { persistDb: 'persist-db' },
    now: new Date('2026-01-11T10:00:00Z'),
    ...over,
  });
}

const input = (
  kind: PreviewInput['event']['kind'],
  labels: string[],
  db: Partial<PreviewInput['database']>,
  label?: string,
): PreviewInput => ({
  event: { kind, id: 'e1', ...(label ? { label } : {}) },
  pullRequest: {
    number: 12,
    state: kind === 'closed' ? 'closed' : 'open',
    merged: false,
    body: null,
    labels,
  },
  database: { exists: true, locked: false, source: 'seed', ...db },
});

describe('planPreviewApply', () => {
  it('folds drop + refill into one restore (aside, verify, swap), then drops what the snapshot lacks', () => {
    const p = plan(input('synchronize', ['preview', 'use-snapshot'], {}));
    expect(p.operations.map((o) => o.kind)).toEqual(['preview.restore', 'restore.drop-extra']);
    expect(p.operations[1]?.params).toMatchObject({ db: 'app_pr_12', planned: null });
    expect(p.operations[0]?.params).toMatchObject({
      source: 'snapshot',
      restore: { input: { snapshot: 'prod@20260111T030000000Z-abcd' }, db: 'app_pr_12' },
    });
    expect(p.preview?.decision).toMatchObject({ database: 'app_pr_12' });
  });

  it('a seed command gets an empty database first', () => {
    const p = plan(input('synchronize', ['preview'], {}), { seed: { command: 'npm run seed' } });
    expect(p.operations.map((o) => o.kind)).toEqual(['preview.drop', 'preview.seed-command']);
  });

  it('locks after a first deploy with both labels; unlocks on persist-db removal', () => {
    expect(
      plan(input('opened', ['preview', 'use-snapshot', 'persist-db'], { exists: false })).operations.map(
        (o) => o.kind,
      ),
    ).toEqual(['preview.restore', 'restore.drop-extra', 'preview.lock']);
    const unlock = plan(input('unlabeled', ['preview'], { locked: true }, 'persist-db'));
    expect(unlock.operations.map((o) => `${o.kind}:${(o.params as { state?: string }).state ?? ''}`)).toEqual(
      ['preview.lock:unlock'],
    );
    const closed = plan({
      ...input('unlabeled', [], { locked: true }, 'persist-db'),
      pullRequest: { number: 12, state: 'closed', merged: false, body: null, labels: [] },
    });
    expect(
      closed.operations.map((o) => `${o.kind}:${String((o.params as { unlock?: boolean }).unlock)}`),
    ).toEqual(['preview.drop:true']);
  });

  it('a locked database gets no operation; a missing seed source is a usage error', () => {
    expect(plan(input('synchronize', ['preview', 'persist-db'], { locked: true })).operations).toEqual([]);
    expect(() => plan(input('opened', ['preview'], { exists: false }), { seed: null })).toThrow(
      /no seed source is configured/,
    );
    expect(() =>
      plan(input('opened', ['preview', 'use-snapshot'], { exists: false }), { snapshot: null }),
    ).toThrow(/no snapshot is configured/);
  });
});
