import type { PreviewSettings, PreviewSource } from './preview-settings.js';

/** The pull request events the decision reads (GitHub's `pull_request` actions; `merged` is a merged close). */
export type PreviewEventKind =
  'opened' | 'reopened' | 'synchronize' | 'labeled' | 'unlabeled' | 'closed' | 'merged';

export const PREVIEW_EVENT_KINDS: readonly PreviewEventKind[] = Object.freeze([
  'opened',
  'reopened',
  'synchronize',
  'labeled',
  'unlabeled',
  'closed',
  'merged',
]);

/** One event on a pull request. */
export interface PreviewEvent {
  readonly kind: PreviewEventKind;
  /** The label added or removed (`labeled` / `unlabeled` only). */
  readonly label?: string;
  /**
   * Identifies the event across retries (same event, same id): it goes into each comment's hidden
   * marker so a retried run never posts twice. Characters outside `[A-Za-z0-9._:-]` are replaced.
   */
  readonly id: string;
}

/** The pull request as the event shows it (labels after the event). */
export interface PullRequestState {
  readonly number: number;
  readonly state: 'open' | 'closed';
  readonly merged: boolean;
  readonly body: string | null;
  readonly labels: readonly string[];
  /** Short head commit, for the preview comment (optional). */
  readonly headSha?: string | null;
}

/** The PR database as the target shows it. */
export interface PreviewDatabaseState {
  readonly exists: boolean;
  /** The target holds a lock record (written while `persist-db` was present). */
  readonly locked: boolean;
  /** How it was made (its preview record), null when unknown. */
  readonly source: PreviewSource | null;
  /** The snapshot it holds (`name@id`), from its snapshot_metadata, or null. */
  readonly snapshotId?: string | null;
  /** When that snapshot was taken (ISO 8601), from its snapshot_metadata, or null. */
  readonly takenAt?: string | null;
}

/** Everything {@link decide} reads. */
export interface PreviewInput {
  readonly event: PreviewEvent;
  readonly pullRequest: PullRequestState;
  readonly database: PreviewDatabaseState;
  /** Default: DEFAULT_PREVIEW_SETTINGS. */
  readonly settings?: PreviewSettings;
  /** When the snapshot a restore would use was taken (ISO 8601, from the store), for comments. */
  readonly snapshotTakenAt?: string | null;
  /** PR databases on the target now (for the quota), when known. */
  readonly prDatabaseCount?: number;
}

/** A database with nothing in it yet and no lock. */
export const NO_DATABASE: PreviewDatabaseState = Object.freeze({
  exists: false,
  locked: false,
  source: null,
});
