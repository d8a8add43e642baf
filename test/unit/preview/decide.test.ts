import { describe, expect, it } from 'vitest';
import { decide } from '../../../src/preview/decide.js';
import { previewSettings } from '../../../src/preview/preview-settings.js';
import { inputOf, shortAll, type Case } from './preview-fixtures.js';

const P = 'preview';
const S = 'use-snapshot';
const D = 'persist-db';

interface Row extends Case {
  readonly name: string;
  readonly actions: readonly string[];
  readonly locked: boolean;
  readonly source?: string;
}

// seed 002, 1.5.2: every sync of an existing database, per label state
const MATRIX: readonly Row[] = [
  {
    name: 'no persist-db, no use-snapshot: drop, seed',
    event: 'synchronize',
    labels: [P],
    actions: ['drop-database', 'create-from-seed'],
    locked: false,
    source: 'seed',
  },
  {
    name: 'no persist-db, use-snapshot: drop, restore from snapshot',
    event: 'synchronize',
    labels: [P, S],
    actions: ['drop-database', 'restore-snapshot:latest'],
    locked: false,
    source: 'snapshot',
  },
  {
    name: 'persist-db, no use-snapshot: no action (protected)',
    event: 'synchronize',
    labels: [P, D],
    actions: ['keep'],
    locked: true,
  },
  {
    name: 'persist-db, use-snapshot: no action (protected)',
    event: 'synchronize',
    labels: [P, S, D],
    actions: ['keep'],
    locked: true,
  },
];

// seed 002, 1.5.3: label changes
const LABEL_CHANGES: readonly Row[] = [
  {
    name: 'use-snapshot added, unlocked: drop, restore, comment',
    event: 'labeled',
    label: S,
    labels: [P, S],
    actions: ['drop-database', 'restore-snapshot:latest', 'comment:snapshot-recreated'],
    locked: false,
    source: 'snapshot',
  },
  {
    name: 'use-snapshot added, locked: revert (remove), comment (edge case 5)',
    event: 'labeled',
    label: S,
    labels: [P, S, D],
    actions: [`revert-label:${S}:remove`, 'comment:snapshot-enable-blocked', 'keep'],
    locked: true,
  },
  {
    name: 'use-snapshot removed, unlocked: drop, comment',
    event: 'unlabeled',
    label: S,
    labels: [P],
    actions: ['drop-database', 'comment:seed-dropped'],
    locked: false,
    source: 'seed',
  },
  {
    name: 'use-snapshot removed, locked: revert (add), comment (edge case 6)',
    event: 'unlabeled',
    label: S,
    labels: [P, D],
    actions: [`revert-label:${S}:add`, 'comment:snapshot-disable-blocked', 'keep'],
    locked: true,
  },
  {
    name: 'persist-db added: lock, comment',
    event: 'labeled',
    label: D,
    labels: [P, D],
    actions: ['keep', 'comment:locked'],
    locked: true,
  },
  {
    name: 'persist-db removed, open PR: unlocked comment, next sync applies',
    event: 'unlabeled',
    label: D,
    labels: [P, S],
    targetLocked: true,
    actions: ['none', 'comment:unlocked'],
    locked: false,
    source: 'snapshot',
  },
  {
    name: 'persist-db removed, closed PR: drop, comment (edge case 7)',
    event: 'unlabeled',
    label: D,
    labels: [P],
    state: 'closed',
    targetLocked: true,
    actions: ['drop-database', 'comment:dropped-unlocked-closed'],
    locked: false,
  },
];

// seed 002, 1.5.4: close and merge
const CLOSE: readonly Row[] = [
  {
    name: 'closed with persist-db: not deleted, warning (edge case 8)',
    event: 'closed',
    labels: [P, D],
    actions: ['keep', 'comment:kept-locked-closed'],
    locked: true,
  },
  {
    name: 'merged with persist-db: not deleted, warning (edge case 8)',
    event: 'merged',
    labels: [P, S, D],
    actions: ['keep', 'comment:kept-locked-closed'],
    locked: true,
  },
  {
    name: 'closed without persist-db: deleted',
    event: 'closed',
    labels: [P, S],
    actions: ['drop-database', 'comment:deleted'],
    locked: false,
  },
  {
    name: 'merged without persist-db: deleted',
    event: 'merged',
    labels: [P],
    actions: ['drop-database', 'comment:deleted'],
    locked: false,
  },
  {
    name: 'closed, no database: nothing',
    event: 'closed',
    labels: [P],
    exists: false,
    actions: ['none'],
    locked: false,
  },
];

// seed 002, 1.5.5 (edge case 9): first deploy with both labels, then locked
const FIRST_DEPLOY: readonly Row[] = [
  {
    name: 'opened with both labels, no database: restore from snapshot, locked after',
    event: 'opened',
    labels: [P, S, D],
    exists: false,
    actions: ['restore-snapshot:latest', 'comment:preview-building'],
    locked: true,
    source: 'snapshot',
  },
  {
    name: 'first sync with both labels, no database: restore from snapshot',
    event: 'synchronize',
    labels: [P, S, D],
    exists: false,
    actions: ['restore-snapshot:latest'],
    locked: true,
    source: 'snapshot',
  },
  {
    name: 'next sync with both labels: protected',
    event: 'synchronize',
    labels: [P, S, D],
    actions: ['keep'],
    locked: true,
  },
  {
    name: 'opened without labels but preview: seed',
    event: 'opened',
    labels: [P],
    exists: false,
    actions: ['create-from-seed', 'comment:preview-building'],
    locked: false,
    source: 'seed',
  },
];

// seed 002, 1.5.6: orphan cleanup
const ORPHANS: readonly Row[] = [
  {
    name: 'closed PR keeps its locked database on a later sync-less event',
    event: 'labeled',
    label: 'bug',
    labels: [P, D, 'bug'],
    state: 'closed',
    actions: ['none'],
    locked: true,
  },
  {
    name: 'the target lock record alone keeps a database on close',
    event: 'closed',
    labels: [P],
    targetLocked: true,
    actions: ['keep', 'comment:kept-locked-closed'],
    locked: true,
  },
  {
    name: 'removing persist-db from the closed PR drops the orphan',
    event: 'unlabeled',
    label: D,
    labels: [],
    state: 'closed',
    targetLocked: true,
    actions: ['drop-database', 'comment:dropped-unlocked-closed'],
    locked: false,
  },
  {
    name: 'removing persist-db from a closed PR without a database: nothing',
    event: 'unlabeled',
    label: D,
    labels: [],
    state: 'closed',
    exists: false,
    actions: ['none'],
    locked: false,
  },
];

const OTHER: readonly Row[] = [
  {
    name: 'no preview label: nothing',
    event: 'synchronize',
    labels: [],
    exists: false,
    actions: ['none'],
    locked: false,
  },
  {
    name: 'preview label added: build, comment',
    event: 'labeled',
    label: P,
    labels: [P],
    exists: false,
    actions: ['create-from-seed', 'comment:preview-building'],
    locked: false,
  },
  {
    name: 'preview label added to a locked database: keep, comment',
    event: 'labeled',
    label: P,
    labels: [P, D],
    actions: ['keep', 'comment:preview-building'],
    locked: true,
  },
  {
    name: 'preview label removed: drop',
    event: 'unlabeled',
    label: P,
    labels: [],
    actions: ['drop-database'],
    locked: false,
  },
  {
    name: 'preview label removed, locked: keep',
    event: 'unlabeled',
    label: P,
    labels: [D],
    actions: ['keep'],
    locked: true,
  },
  {
    name: 'another label: nothing',
    event: 'labeled',
    label: 'bug',
    labels: [P, 'bug'],
    actions: ['none'],
    locked: false,
  },
  {
    name: 'reopened unlocked: recreate',
    event: 'reopened',
    labels: [P],
    exists: false,
    actions: ['create-from-seed', 'comment:preview-building'],
    locked: false,
  },
];

describe.each([
  ['label-state matrix (1.5.2)', MATRIX],
  ['label changes (1.5.3)', LABEL_CHANGES],
  ['close and merge (1.5.4)', CLOSE],
  ['first deploy with both labels (1.5.5)', FIRST_DEPLOY],
  ['orphan cleanup (1.5.6)', ORPHANS],
  ['other events', OTHER],
])('decide: %s', (_title, rows) => {
  it.each(rows)('$name', (row) => {
    const d = decide(inputOf(row));
    expect(shortAll(d)).toEqual(row.actions);
    expect(d.locked).toBe(row.locked);
    expect(d.database).toBe('app_pr_12');
    if (row.source) expect(d.source).toBe(row.source);
    for (const a of d.actions) expect(a.reason.length).toBeGreaterThan(5);
  });
});

describe('decide: exact actions', () => {
  it('edge case 5 reverts the added use-snapshot label with the spec comment', () => {
    const d = decide(inputOf({ event: 'labeled', label: S, labels: [P, S, D] }));
    expect(d.actions[0]).toEqual({
      type: 'revert-label',
      label: S,
      operation: 'remove',
      reason: 'adding use-snapshot is refused: the persist-db label locks the database',
    });
    const comment = d.actions[1];
    expect(comment?.type === 'comment' && comment.text).toContain('**Cannot enable snapshot mode**');
    expect(comment?.type === 'comment' && comment.marker).toBe(
      '<!-- dbfork:event=pr-12-labeled-use-snapshot -->',
    );
    expect(d.actions[2]).toEqual({
      type: 'keep',
      database: 'app_pr_12',
      reason: 'the persist-db label locks the database',
    });
  });

  it('a snapshot restore carries the block settings and the snapshot timestamp', () => {
    const body =
      'Fixes #1\n\n```yaml\n#preview-config\ndatabase:\n  snapshotId: "2026-01-09"\n  collections: [pmProject]\nweb:\n  featureFlags: {x: true}\n```\n';
    const d = decide(inputOf({ event: 'labeled', label: S, labels: [P, S], body }));
    expect(d.actions[1]).toEqual({
      type: 'restore-snapshot',
      database: 'app_pr_12',
      snapshot: '2026-01-09',
      select: 'date',
      anonymize: true,
      collections: ['pmProject'],
      reason: 'restore from snapshot: the use-snapshot label was added',
    });
    const c = d.actions[2];
    expect(c?.type === 'comment' && c.text).toContain('(taken: 2026-01-11 03:00 UTC)');
  });

  it('the block chooses the source when no use-snapshot label is there; the label wins over it', () => {
    const body = '#preview-config\ndatabase:\n  source: staging\n';
    const staging = decide(inputOf({ event: 'synchronize', labels: [P], body }));
    expect(shortAll(staging)).toEqual(['drop-database', 'clone-staging']);
    expect(staging.actions[1]).toMatchObject({ from: 'app_staging' });
    const labelled = decide(inputOf({ event: 'synchronize', labels: [P, S], body }));
    expect(shortAll(labelled)).toEqual(['drop-database', 'restore-snapshot:latest']);
    const lock = decide(inputOf({ event: 'synchronize', labels: [P, D], body }));
    expect(shortAll(lock)).toEqual(['keep']);
  });

  it('a bad block: no database change and one comment quoting the error and its line', () => {
    const body = 'Title\n\n```yaml\n#preview-config\ndatabase:\n  source: snapshots\n```';
    const d = decide(inputOf({ event: 'synchronize', labels: [P], body }));
    expect(shortAll(d)).toEqual(['none', 'comment:config-error']);
    const c = d.actions[1];
    expect(c?.type === 'comment' && c.text).toContain('(line 6 of the description)');
    expect(c?.type === 'comment' && c.text).toContain('  source: snapshots');
  });

  it('anonymize: false with a snapshot is refused unless raw snapshots are allowed', () => {
    const body = '#preview-config\ndatabase:\n  anonymize: false\n';
    const refused = decide(inputOf({ event: 'synchronize', labels: [P, S], body }));
    expect(shortAll(refused)).toEqual(['none', 'comment:config-error']);
    const allowed = decide(
      inputOf({
        event: 'synchronize',
        labels: [P, S],
        body,
        settings: previewSettings({ allowRawSnapshots: true }),
      }),
    );
    expect(allowed.actions[1]).toMatchObject({ type: 'restore-snapshot', anonymize: false });
    expect(shortAll(decide(inputOf({ event: 'synchronize', labels: [P], body })))).toEqual([
      'drop-database',
      'create-from-seed',
    ]);
  });

  it('quota: a new database past the most allowed is refused with a comment; existing ones go on', () => {
    const settings = previewSettings({ maxDatabases: 3 });
    const refused = decide(inputOf({ event: 'opened', labels: [P], exists: false, settings, count: 3 }));
    expect(shortAll(refused)).toEqual(['none', 'comment:quota-exceeded']);
    const c = refused.actions[1];
    expect(c?.type === 'comment' && c.text).toContain(
      '3 PR databases exist already, the most allowed at once is 3',
    );
    expect(
      shortAll(decide(inputOf({ event: 'opened', labels: [P], exists: false, settings, count: 2 }))),
    ).toEqual(['create-from-seed', 'comment:preview-building']);
    expect(shortAll(decide(inputOf({ event: 'synchronize', labels: [P], settings, count: 9 })))).toEqual([
      'drop-database',
      'create-from-seed',
    ]);
  });

  it('custom label names and database template', () => {
    const settings = previewSettings({
      labels: { persistDb: 'keep-db', useSnapshot: 'prod-data' },
      databaseTemplate: 'shop_pr_{number}_db',
    });
    const d = decide(
      inputOf({ event: 'labeled', label: 'prod-data', labels: [P, 'prod-data', 'keep-db'], settings }),
    );
    expect(d.database).toBe('shop_pr_12_db');
    expect(shortAll(d)).toEqual(['revert-label:prod-data:remove', 'comment:snapshot-enable-blocked', 'keep']);
  });

  it('one comment at most per event, each with the event marker', () => {
    const rows = [...MATRIX, ...LABEL_CHANGES, ...CLOSE, ...FIRST_DEPLOY, ...ORPHANS, ...OTHER];
    for (const row of rows) {
      const comments = decide(inputOf(row)).actions.filter((a) => a.type === 'comment');
      expect(comments.length).toBeLessThanOrEqual(1);
      for (const c of comments) expect(c.type === 'comment' && c.text.endsWith(c.marker)).toBe(true);
    }
  });
});
