import { markerId } from './comment-marker.js';
import { previewDatabaseName } from './database-name.js';
import type { PreviewAction, PreviewCommentKind, PreviewDecision } from './preview-action.js';
import { parsePreviewConfig, type PreviewConfig, type PreviewConfigError } from './preview-config.js';
import type { PreviewInput } from './preview-input.js';
import { DEFAULT_PREVIEW_SETTINGS, type PreviewSettings, type PreviewSource } from './preview-settings.js';
import { renderComment, type CommentFacts } from './render-comment.js';
import { commentMarker } from './comment-marker.js';

/** What every branch of the decision shares. */
interface Facts {
  readonly input: PreviewInput;
  readonly settings: PreviewSettings;
  readonly database: string;
  readonly persist: boolean;
  readonly useSnapshot: boolean;
  readonly preview: boolean;
  readonly closed: boolean;
  readonly locked: boolean;
}

/**
 * Decide what one pull request event does to its preview database: which labels mean which data,
 * what a label added or removed does, what closing or merging does, a first deploy with both
 * `use-snapshot` and `persist-db`, and the cleanup of databases whose pull request is gone, with the
 * `#preview-config` block choosing the source (docs/previews.md has the tables). Pure: no I/O, no clock.
 *
 * Precedence (docs/previews.md): the lock (`persist-db`, or the target's lock record unless this
 * event removes `persist-db`) over everything; then `use-snapshot` (source snapshot) over the
 * block's `source`; then the block; then `settings.defaultSource`. The block's `snapshotId`,
 * `anonymize` and `collections` apply whenever the source is a snapshot.
 *
 * @returns the decision; never throws for any input of the declared types
 */
export function decide(input: PreviewInput): PreviewDecision {
  const settings = input.settings ?? DEFAULT_PREVIEW_SETTINGS;
  const labels = new Set(input.pullRequest.labels);
  const { kind, label } = input.event;
  const persist = labels.has(settings.labels.persistDb);
  // the label's removal unlocks, unless the labels (after the event) hold it again
  const unlocking = kind === 'unlabeled' && label === settings.labels.persistDb && !persist;
  const f: Facts = {
    input,
    settings,
    database: previewDatabaseName(settings, input.pullRequest.number),
    persist,
    useSnapshot: labels.has(settings.labels.useSnapshot),
    preview: labels.has(settings.labels.preview),
    closed: kind === 'closed' || kind === 'merged' || input.pullRequest.state === 'closed',
    locked: persist || (input.database.locked && !unlocking),
  };
  const config = parsePreviewConfig(input.pullRequest.body, {
    snapshotByLabel: f.useSnapshot,
    allowRawSnapshots: settings.allowRawSnapshots,
  });
  const wanted: PreviewSource = f.useSnapshot
    ? 'snapshot'
    : ((config.ok ? config.config.source : undefined) ?? settings.defaultSource);
  const held = f.locked && input.database.exists ? input.database.source : null;
  const source = held ?? wanted;
  const actions = decideActions(f, wanted, config.ok ? config.config : null, config.ok ? null : config.error);
  const stillExists = input.database.exists
    ? !actions.some((a) => a.type === 'drop-database') || actions.some(isCreate)
    : actions.some(isCreate);
  return { database: f.database, source, locked: f.locked && stillExists, actions };
}

function decideActions(
  f: Facts,
  wanted: PreviewSource,
  config: PreviewConfig | null,
  configError: PreviewConfigError | null,
): PreviewAction[] {
  const { kind, label } = f.input.event;
  const L = f.settings.labels;
  const exists = f.input.database.exists;
  const comment = (k: PreviewCommentKind, reason: string, extra: Partial<CommentFacts> = {}): PreviewAction =>
    commentAction(f, wanted, k, reason, extra);
  const keep = (reason: string): PreviewAction => ({ type: 'keep', database: f.database, reason });
  const drop = (reason: string): PreviewAction => ({ type: 'drop-database', database: f.database, reason });
  const none = (reason: string): PreviewAction[] => [{ type: 'none', reason }];
  const create = (reason: string, commentKind?: PreviewCommentKind): PreviewAction[] => {
    if (!config) {
      return [
        {
          type: 'none',
          reason: `the #preview-config block is invalid (line ${configError?.line ?? '?'}): nothing changes`,
        },
        comment(
          'config-error',
          'tell the author what is wrong with the block',
          configError ? { configError } : {},
        ),
      ];
    }
    const quota = quotaRefusal(f, exists);
    if (quota) return [quota.none, comment('quota-exceeded', quota.none.reason, { quota: quota.figures })];
    const out: PreviewAction[] = [];
    if (exists) out.push(drop(`the database is recreated from ${wanted} (${reason})`));
    out.push(createAction(f, wanted, config, reason));
    if (commentKind) out.push(comment(commentKind, reason));
    return out;
  };
  const lockReason = f.persist
    ? `the ${L.persistDb} label locks the database`
    : 'the database holds a lock record (persist-db was present); remove the label from the PR to unlock';

  // use-snapshot changes: refused while locked (edge cases 5, 6), open or closed
  if ((kind === 'labeled' || kind === 'unlabeled') && label === L.useSnapshot && f.locked && exists) {
    const adding = kind === 'labeled';
    return [
      {
        type: 'revert-label',
        label: L.useSnapshot,
        operation: adding ? 'remove' : 'add',
        reason: `${adding ? 'adding' : 'removing'} ${L.useSnapshot} is refused: ${lockReason}`,
      },
      comment(adding ? 'snapshot-enable-blocked' : 'snapshot-disable-blocked', lockReason),
      keep(lockReason),
    ];
  }

  // close / merge (1.5.4, edge case 8)
  if (kind === 'closed' || kind === 'merged') {
    if (!exists) return none('the pull request is closed and has no database');
    if (f.locked) return [keep(lockReason), comment('kept-locked-closed', lockReason)];
    return [drop(`the pull request was ${kind}`), comment('deleted', `the pull request was ${kind}`)];
  }

  // persist-db removed (1.5.3; on a closed PR: orphan cleanup, 1.5.6, edge case 7)
  if (kind === 'unlabeled' && label === L.persistDb) {
    if (f.persist) return [keep(`${L.persistDb} is on the pull request again: ${lockReason}`)];
    if (f.closed) {
      if (!exists) return none(`${L.persistDb} was removed, but the closed pull request has no database`);
      const reason = `${L.persistDb} was removed from a closed pull request`;
      return [drop(reason), comment('dropped-unlocked-closed', reason)];
    }
    return [
      { type: 'none', reason: `${L.persistDb} was removed: the next sync applies the current data source` },
      comment('unlocked', `${L.persistDb} was removed from an open pull request`),
    ];
  }

  if (f.closed) return none('the pull request is closed');

  // persist-db added (1.5.3)
  if (kind === 'labeled' && label === L.persistDb) {
    if (exists)
      return [
        keep(`the ${L.persistDb} label was added`),
        comment('locked', `the ${L.persistDb} label was added`),
      ];
    if (!f.preview && f.settings.requirePreviewLabel)
      return none(`no ${L.preview} label: no preview database`);
    return create(`first deploy, then locked by ${L.persistDb}`, 'locked');
  }

  if (!f.preview && f.settings.requirePreviewLabel) {
    if (kind === 'unlabeled' && label === L.preview) {
      if (!exists) return none(`the ${L.preview} label was removed and there is no database`);
      if (f.locked) return [keep(lockReason)];
      return [drop(`the ${L.preview} label was removed: the preview environment goes away`)];
    }
    return none(`no ${L.preview} label: no preview database`);
  }

  // use-snapshot added or removed, not locked (1.5.3)
  if (kind === 'labeled' && label === L.useSnapshot) {
    return create(`the ${L.useSnapshot} label was added`, 'snapshot-recreated');
  }
  if (kind === 'unlabeled' && label === L.useSnapshot) {
    if (!exists) return none(`${L.useSnapshot} was removed and there is no database yet`);
    const reason = `the ${L.useSnapshot} label was removed: the next sync creates ${wanted} data`;
    return [drop(reason), comment('seed-dropped', reason)];
  }

  // sync, open, reopen, the preview label (1.5.2 matrix, 1.5.5 first deploy, edge case 9)
  const first = kind === 'opened' || kind === 'reopened' || (kind === 'labeled' && label === L.preview);
  if (kind !== 'synchronize' && !first) return none(`the label ${label ?? '?'} is not one dbfork acts on`);
  const commentKind = first ? 'preview-building' : undefined;
  if (f.locked && exists) {
    const out: PreviewAction[] = [keep(`no action - DB protected: ${lockReason}`)];
    if (commentKind) out.push(comment(commentKind, 'the preview environment is being built'));
    return out;
  }
  const why = exists
    ? kind === 'synchronize'
      ? 'sync without a lock'
      : `${kind} without a lock`
    : f.locked
      ? 'first deploy: created from the source, then locked'
      : 'first deploy';
  return create(why, commentKind);
}

function createAction(f: Facts, source: PreviewSource, config: PreviewConfig, reason: string): PreviewAction {
  if (source === 'snapshot') {
    return {
      type: 'restore-snapshot',
      database: f.database,
      snapshot: config.snapshotId,
      select: config.select,
      anonymize: config.anonymize,
      collections: config.collections,
      reason: `restore from snapshot: ${reason}`,
    };
  }
  if (source === 'staging') {
    return {
      type: 'clone-staging',
      database: f.database,
      from: f.settings.stagingDatabase,
      collections: config.collections,
      reason: `clone staging: ${reason}`,
    };
  }
  return { type: 'create-from-seed', database: f.database, reason: `seed fresh data: ${reason}` };
}

function quotaRefusal(
  f: Facts,
  exists: boolean,
): { none: PreviewAction & { type: 'none' }; figures: { max: number; count: number } } | null {
  const max = f.settings.maxDatabases;
  const count = f.input.prDatabaseCount;
  if (exists || max === null || count === undefined || count < max) return null;
  return {
    none: { type: 'none', reason: `quota: ${count} PR databases exist, at most ${max} at once` },
    figures: { max, count },
  };
}

function commentAction(
  f: Facts,
  source: PreviewSource,
  kind: PreviewCommentKind,
  reason: string,
  extra: Partial<CommentFacts>,
): PreviewAction {
  const db = f.input.database;
  const facts: CommentFacts = {
    eventId: f.input.event.id,
    number: f.input.pullRequest.number,
    database: f.database,
    labels: f.settings.labels,
    source: f.locked && db.exists && db.source ? db.source : source,
    locked: f.locked,
    takenAt: f.locked && db.exists ? (db.takenAt ?? null) : (f.input.snapshotTakenAt ?? db.takenAt ?? null),
    headSha: f.input.pullRequest.headSha ?? null,
    staging: f.settings.stagingDatabase,
    ...extra,
  };
  return {
    type: 'comment',
    kind,
    text: renderComment(kind, facts),
    marker: commentMarker(markerId(f.input.event.id)),
    reason,
  };
}

function isCreate(a: PreviewAction): boolean {
  return a.type === 'create-from-seed' || a.type === 'restore-snapshot' || a.type === 'clone-staging';
}
