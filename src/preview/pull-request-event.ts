import { z } from 'zod';
import { UsageError } from '../errors/index.js';
import type { PreviewEvent, PreviewEventKind, PullRequestState } from './preview-input.js';

/** The fields dbfork reads from GitHub's `pull_request` webhook payload (others are ignored). */
export const PullRequestPayloadSchema = z.looseObject({
  action: z.string(),
  number: z.number().int().positive().optional(),
  label: z.looseObject({ name: z.string() }).nullish(),
  after: z.string().nullish(),
  pull_request: z.looseObject({
    number: z.number().int().positive(),
    state: z.enum(['open', 'closed']),
    merged: z.boolean().nullish(),
    body: z.string().nullish(),
    updated_at: z.string().nullish(),
    labels: z.array(z.looseObject({ name: z.string() })),
    head: z.looseObject({ sha: z.string() }).nullish(),
  }),
});

export type PullRequestPayload = z.infer<typeof PullRequestPayloadSchema>;

const KINDS: ReadonlySet<string> = new Set([
  'opened',
  'reopened',
  'synchronize',
  'labeled',
  'unlabeled',
  'closed',
]);

/** A webhook payload read into the decision's event and pull request. */
export interface PullRequestEvent {
  readonly event: PreviewEvent;
  readonly pullRequest: PullRequestState;
}

/**
 * Read a `pull_request` webhook payload (GitHub's shape, as `@octokit/webhooks-examples` records it).
 * `closed` with `pull_request.merged` becomes `merged`. The event id, unless given, is
 * `pr-<n>-<action>[-<label>]-<updated_at or head sha>`: the same for a redelivered payload. Pure.
 *
 * @throws UsageError `PREVIEW_BAD_EVENT` when it is not such a payload, or its action is not one dbfork acts on
 */
export function readPullRequestEvent(payload: unknown, eventId?: string): PullRequestEvent {
  const parsed = PullRequestPayloadSchema.safeParse(payload);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new UsageError(
      'PREVIEW_BAD_EVENT',
      `not a pull_request event payload: ${issue?.message ?? 'invalid'} at ${issue?.path.join('.') ?? ''}`,
      { hint: 'pass the workflow event file ($GITHUB_EVENT_PATH) of a pull_request event' },
    );
  }
  const p = parsed.data;
  if (!KINDS.has(p.action)) {
    throw new UsageError('PREVIEW_BAD_EVENT', `pull_request action "${p.action}" is not one dbfork acts on`, {
      hint: 'run on: pull_request types [opened, reopened, synchronize, labeled, unlabeled, closed]',
    });
  }
  const pr = p.pull_request;
  const merged = Boolean(pr.merged);
  const kind = (p.action === 'closed' && merged ? 'merged' : p.action) as PreviewEventKind;
  const label = p.label?.name;
  const version = pr.updated_at ?? p.after ?? pr.head?.sha ?? 'none';
  return {
    event: {
      kind,
      ...(label !== undefined && (kind === 'labeled' || kind === 'unlabeled') ? { label } : {}),
      id:
        eventId ??
        `pr-${pr.number}-${p.action}${label && kind.endsWith('labeled') ? `-${label}` : ''}-${version}`,
    },
    pullRequest: {
      number: pr.number,
      state: pr.state,
      merged,
      body: pr.body ?? null,
      labels: pr.labels.map((l) => l.name),
      headSha: pr.head?.sha.slice(0, 7) ?? null,
    },
  };
}
