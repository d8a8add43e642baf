import type { PreviewSource } from './preview-settings.js';

/** Which comment of the preview workflow a `comment` action posts. */
export type PreviewCommentKind =
  | 'preview-building'
  | 'snapshot-recreated'
  | 'snapshot-enable-blocked'
  | 'snapshot-disable-blocked'
  | 'seed-dropped'
  | 'locked'
  | 'unlocked'
  | 'dropped-unlocked-closed'
  | 'kept-locked-closed'
  | 'deleted'
  | 'config-error'
  | 'quota-exceeded';

/** How a `restore-snapshot` action picks the snapshot. */
export type SnapshotSelector = 'latest' | 'id' | 'date';

/** One thing to do, each with the reason the spec gives for it. */
export type PreviewAction =
  | { readonly type: 'create-from-seed'; readonly database: string; readonly reason: string }
  | {
      readonly type: 'restore-snapshot';
      readonly database: string;
      /** `latest`, a snapshot id, or a UTC day `YYYY-MM-DD` (its newest complete snapshot). */
      readonly snapshot: string;
      readonly select: SnapshotSelector;
      readonly anonymize: boolean;
      /** Only these collections (empty: all). */
      readonly collections: readonly string[];
      readonly reason: string;
    }
  | {
      readonly type: 'clone-staging';
      readonly database: string;
      readonly from: string;
      readonly collections: readonly string[];
      readonly reason: string;
    }
  | { readonly type: 'drop-database'; readonly database: string; readonly reason: string }
  | { readonly type: 'keep'; readonly database: string; readonly reason: string }
  | {
      readonly type: 'revert-label';
      readonly label: string;
      readonly operation: 'add' | 'remove';
      readonly reason: string;
    }
  | {
      readonly type: 'comment';
      readonly kind: PreviewCommentKind;
      /** Markdown, ending with the hidden marker. */
      readonly text: string;
      /** `<!-- dbfork:event=<id> -->`: a comment holding it was posted already. */
      readonly marker: string;
      readonly reason: string;
    }
  | { readonly type: 'none'; readonly reason: string };

export type PreviewActionType = PreviewAction['type'];

/**
 * The decision for one event: the PR database, the data source in effect, whether the database is
 * locked after the event (apply records or removes the target's lock record to match), and the
 * actions in order.
 */
export interface PreviewDecision {
  readonly database: string;
  readonly source: PreviewSource;
  readonly locked: boolean;
  readonly actions: readonly PreviewAction[];
}
