import { decide } from '../../preview/decide.js';
import type { PreviewDecision } from '../../preview/preview-action.js';
import type { PreviewInput } from '../../preview/preview-input.js';
import type { PreviewSettings } from '../../preview/preview-settings.js';
import { readPullRequestEvent } from '../../preview/pull-request-event.js';
import { previewDatabaseName } from '../../preview/database-name.js';
import type { Plan } from '../../plan/plan-schema.js';
import { evaluateTargetGuard } from '../../target/guard/target-guard.js';
import { planPreviewApply, type PreviewApplyPlanInput } from './plan-preview-apply.js';
import { readPreviewState } from './read-preview-state.js';
import { resolvePreviewSnapshot } from './resolve-preview-snapshot.js';
import { withPreviewDatabases } from './with-preview-databases.js';

export interface PreviewEventRequest extends Omit<
  PreviewApplyPlanInput,
  'decision' | 'pr' | 'state' | 'verdict' | 'snapshot' | 'labels' | 'now'
> {
  /** A GitHub `pull_request` webhook payload. */
  readonly payload: unknown;
  readonly eventId?: string;
  /** The target connection string, resolved (for reading state and the guard; plans hold the reference). */
  readonly uri: string;
  readonly settings: PreviewSettings;
  /** Snapshot store URL and snapshot name, when snapshots are configured. */
  readonly snapshot: { readonly store: string; readonly name: string } | null;
}

/** The decision for an event on the target's live state, and the plan that carries it out. */
export interface PreviewEventPlan {
  readonly input: PreviewInput;
  readonly decision: PreviewDecision;
  readonly plan: Plan;
}

/**
 * Read the event, read the PR database's state on the target (exists, lock record, how it was made,
 * the PR database count for the quota), resolve the snapshot a restore would use (for its
 * timestamp), decide, and plan. Reads only.
 *
 * @throws UsageError `PREVIEW_BAD_EVENT`, `PREVIEW_NO_SEED`, `PREVIEW_NO_SNAPSHOT`; StoreError
 *   `SNAPSHOT_NOT_FOUND`; TargetError from the target
 */
export async function planPreviewEvent(request: PreviewEventRequest): Promise<PreviewEventPlan> {
  const { event, pullRequest } = readPullRequestEvent(request.payload, request.eventId);
  const db = previewDatabaseName(request.settings, pullRequest.number);
  const state = await withPreviewDatabases(request.uri, (dbs) => readPreviewState(dbs, request.settings, db));
  const base: PreviewInput = {
    event,
    pullRequest,
    database: state.database,
    settings: request.settings,
    prDatabaseCount: state.prDatabaseCount,
  };
  let decision = decide(base);
  let input = base;
  let snapshot: PreviewApplyPlanInput['snapshot'] = null;
  const restore = decision.actions.find((a) => a.type === 'restore-snapshot');
  if (restore && request.snapshot) {
    const resolved = await resolvePreviewSnapshot(
      request.snapshot.store,
      request.snapshot.name,
      restore.snapshot,
      restore.select,
    );
    snapshot = { store: request.snapshot.store, ref: resolved.ref };
    input = { ...base, snapshotTakenAt: resolved.takenAt };
    decision = decide(input);
  }
  const plan = planPreviewApply({
    ...request,
    decision,
    pr: pullRequest.number,
    state: state.database,
    verdict: evaluateTargetGuard({ uri: request.uri, db }, request.guard),
    snapshot,
    labels: request.settings.labels,
  });
  return { input, decision, plan };
}
