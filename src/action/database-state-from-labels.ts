import type { PreviewDatabaseState, PreviewEvent, PullRequestState } from '../preview/preview-input.js';
import type { PreviewSettings } from '../preview/preview-settings.js';

/**
 * The PR database's state as the labels before the event imply it, for a run that cannot read the
 * target: it exists once the pull request had the preview label (or any label, with
 * `requirePreviewLabel` off) before this event and the event is not its opening; it is locked when
 * `persist-db` was there too; it holds a snapshot when `use-snapshot` was. Give the real state
 * (`database-exists`, `database-locked`, `database-source`) where the workflow can read it.
 */
export function databaseStateFromLabels(
  event: PreviewEvent,
  pullRequest: PullRequestState,
  settings: PreviewSettings,
): PreviewDatabaseState {
  const before = new Set(pullRequest.labels);
  if (event.kind === 'labeled' && event.label !== undefined) before.delete(event.label);
  if (event.kind === 'unlabeled' && event.label !== undefined) before.add(event.label);
  const L = settings.labels;
  const exists = event.kind !== 'opened' && (before.has(L.preview) || !settings.requirePreviewLabel);
  return {
    exists,
    locked: exists && before.has(L.persistDb),
    source: exists ? (before.has(L.useSnapshot) ? 'snapshot' : null) : null,
  };
}
