import { markerOf } from '../preview/comment-marker.js';
import type { ActionDecision } from './action-decision.js';
import type { PullRequestApi } from './pull-request-api.js';

/** One GitHub API change the Action made (or, in a dry run, would make). */
export type GitHubChange =
  | { readonly kind: 'label-added' | 'label-removed'; readonly label: string }
  | { readonly kind: 'comment-created' | 'comment-updated' | 'comment-unchanged'; readonly marker: string };

/**
 * Carry out a decision's GitHub side: `revert-label` actions add or remove the label; each `comment`
 * action is posted once per event. A comment carries its event's hidden marker, so when a comment with
 * that marker is there already (a retried run) it is updated if its text differs and left alone if
 * not, and never posted twice. Database actions are not for the Action (`dbfork preview apply`).
 *
 * @param dryRun - report the changes without making them (reads comments only)
 */
export async function carryOutDecision(
  decision: ActionDecision,
  api: PullRequestApi,
  dryRun = false,
): Promise<GitHubChange[]> {
  const changes: GitHubChange[] = [];
  let comments: Map<string, { id: number; body: string }> | undefined;
  for (const action of decision.actions) {
    if (action.type === 'revert-label') {
      const adding = action.operation === 'add';
      if (!dryRun) await (adding ? api.addLabel(action.label) : api.removeLabel(action.label));
      changes.push({ kind: adding ? 'label-added' : 'label-removed', label: action.label });
    } else if (action.type === 'comment') {
      const marker = markerOf(action.text);
      if (marker === null) throw new Error(`a ${action.kind} comment has no event marker`);
      comments ??= new Map((await api.listComments()).map((c) => [markerOf(c.body) ?? '', c]));
      const existing = comments.get(marker);
      if (existing === undefined) {
        if (!dryRun) comments.set(marker, { id: await api.createComment(action.text), body: action.text });
        changes.push({ kind: 'comment-created', marker });
      } else if (existing.body.trim() !== action.text.trim()) {
        if (!dryRun) await api.updateComment(existing.id, action.text);
        changes.push({ kind: 'comment-updated', marker });
      } else {
        changes.push({ kind: 'comment-unchanged', marker });
      }
    }
  }
  return changes;
}
