import type { PreviewAction, PreviewDecision } from '../../../src/preview/preview-action.js';
import type { PreviewEventKind, PreviewInput } from '../../../src/preview/preview-input.js';
import type { PreviewSettings } from '../../../src/preview/preview-settings.js';

export interface Case {
  readonly event: PreviewEventKind;
  readonly label?: string;
  readonly labels: readonly string[];
  readonly state?: 'open' | 'closed';
  readonly exists?: boolean;
  readonly targetLocked?: boolean;
  readonly body?: string;
  readonly settings?: PreviewSettings;
  readonly count?: number;
}

/** A decision input for pull request 12 from a table row. */
export function inputOf(c: Case): PreviewInput {
  const closed = c.state === 'closed' || c.event === 'closed' || c.event === 'merged';
  return {
    event: { kind: c.event, ...(c.label ? { label: c.label } : {}), id: `pr-12-${c.event}-${c.label ?? ''}` },
    pullRequest: {
      number: 12,
      state: closed ? 'closed' : 'open',
      merged: c.event === 'merged',
      body: c.body ?? null,
      labels: c.labels,
      headSha: 'abc1234',
    },
    database: {
      exists: c.exists ?? true,
      locked: c.targetLocked ?? false,
      source: (c.exists ?? true) ? 'snapshot' : null,
      takenAt: (c.exists ?? true) ? '2026-01-04T03:00:00.000Z' : null,
    },
    snapshotTakenAt: '2026-01-11T03:00:07.000Z',
    ...(c.settings ? { settings: c.settings } : {}),
    ...(c.count === undefined ? {} : { prDatabaseCount: c.count }),
  };
}

/** An action as one short string: `drop-database`, `comment:locked`, `revert-label:use-snapshot:add`. */
export function short(a: PreviewAction): string {
  switch (a.type) {
    case 'comment':
      return `comment:${a.kind}`;
    case 'revert-label':
      return `revert-label:${a.label}:${a.operation}`;
    case 'restore-snapshot':
      return `restore-snapshot:${a.snapshot}`;
    default:
      return a.type;
  }
}

export function shortAll(d: PreviewDecision): string[] {
  return d.actions.map(short);
}
