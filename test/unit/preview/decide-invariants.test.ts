import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decide } from '../../../src/preview/decide.js';
import { PREVIEW_EVENT_KINDS, type PreviewInput } from '../../../src/preview/preview-input.js';

const LABELS = ['preview', 'use-snapshot', 'persist-db', 'bug'];
const BODIES = [
  null,
  '',
  '#preview-config\ndatabase:\n  source: staging\n',
  '#preview-config\ndatabase: [oops',
];

const inputs = fc.record({
  kind: fc.constantFrom(...PREVIEW_EVENT_KINDS),
  label: fc.option(fc.constantFrom(...LABELS), { nil: undefined }),
  labels: fc.subarray(LABELS),
  open: fc.boolean(),
  exists: fc.boolean(),
  targetLocked: fc.boolean(),
  body: fc.constantFrom(...BODIES),
  count: fc.option(fc.nat(5), { nil: undefined }),
});

type Row = typeof inputs extends fc.Arbitrary<infer T> ? T : never;

function toInput(r: Row): PreviewInput {
  const closed = r.kind === 'closed' || r.kind === 'merged' || !r.open;
  return {
    event: { kind: r.kind, ...(r.label ? { label: r.label } : {}), id: 'e' },
    pullRequest: {
      number: 5,
      state: closed ? 'closed' : 'open',
      merged: r.kind === 'merged',
      body: r.body,
      labels: r.labels,
    },
    database: { exists: r.exists || r.targetLocked, locked: r.targetLocked, source: null },
    ...(r.count === undefined ? {} : { prDatabaseCount: r.count }),
  };
}

describe('decide: invariants over every combination', () => {
  it('a locked, existing database is never dropped or refilled, unless this event removes persist-db', () => {
    fc.assert(
      fc.property(inputs, (r) => {
        const input = toInput(r);
        const d = decide(input);
        const locked = r.labels.includes('persist-db') || r.targetLocked;
        const unlocking =
          r.kind === 'unlabeled' && r.label === 'persist-db' && !r.labels.includes('persist-db');
        const destructive = d.actions.some((a) =>
          ['drop-database', 'create-from-seed', 'restore-snapshot', 'clone-staging'].includes(a.type),
        );
        if (locked && input.database.exists && !unlocking) expect(destructive).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });

  it('at most one comment, at least one action, every action with a reason; same input, same decision', () => {
    fc.assert(
      fc.property(inputs, (r) => {
        const d = decide(toInput(r));
        expect(d.actions.length).toBeGreaterThan(0);
        expect(d.actions.filter((a) => a.type === 'comment').length).toBeLessThanOrEqual(1);
        for (const a of d.actions) expect(a.reason).not.toBe('');
        expect(decide(toInput(r))).toEqual(d);
      }),
      { numRuns: 1000 },
    );
  });

  it('a closed pull request never gets a database created', () => {
    fc.assert(
      fc.property(inputs, (r) => {
        const input = toInput(r);
        if (input.pullRequest.state !== 'closed') return;
        const d = decide(input);
        expect(
          d.actions.some((a) => ['create-from-seed', 'restore-snapshot', 'clone-staging'].includes(a.type)),
        ).toBe(false);
      }),
      { numRuns: 1000 },
    );
  });
});
