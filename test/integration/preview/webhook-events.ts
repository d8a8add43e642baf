import { createRequire } from 'node:module';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

const require = createRequire(import.meta.url);
const index = require('@octokit/webhooks-examples/api.github.com/index.json') as {
  name: string;
  examples: Record<string, unknown>[];
}[];

/** What a test sets on a recorded payload. */
export interface EventCase {
  readonly action: 'opened' | 'reopened' | 'labeled' | 'unlabeled' | 'closed' | 'synchronize';
  readonly number: number;
  readonly labels: readonly string[];
  readonly label?: string;
  readonly state?: 'open' | 'closed';
  readonly merged?: boolean;
  readonly body?: string;
  /** Makes the event id unique (the payload's updated_at). */
  readonly updatedAt?: string;
}

/**
 * A real `pull_request` payload from @octokit/webhooks-examples (the first recorded example of the
 * action), with the number, labels, state and body set per case, written to `dir`.
 */
export function writeEvent(dir: string, c: EventCase): string {
  const examples = index.find((e) => e.name === 'pull_request')?.examples ?? [];
  const found = examples.find((e) => e.action === c.action);
  if (!found) throw new Error(`no recorded pull_request ${c.action} payload`);
  const payload = structuredClone(found) as Record<string, unknown> & {
    pull_request: Record<string, unknown>;
  };
  const labelOf = (name: string): Record<string, unknown> => ({
    ...((payload.label as Record<string, unknown> | undefined) ?? { id: 1, color: 'ededed', default: false }),
    name,
  });
  payload.number = c.number;
  payload.pull_request.number = c.number;
  payload.pull_request.labels = c.labels.map(labelOf);
  payload.pull_request.state = c.state ?? (c.action === 'closed' ? 'closed' : 'open');
  payload.pull_request.merged = c.merged ?? false;
  if (c.body !== undefined) payload.pull_request.body = c.body;
  if (c.updatedAt) payload.pull_request.updated_at = c.updatedAt;
  if (c.label) payload.label = labelOf(c.label);
  const file = join(
    dir,
    `event-${c.number}-${c.action}-${c.label ?? ''}-${Date.now()}-${Math.random().toString(36).slice(2)}.json`,
  );
  writeFileSync(file, JSON.stringify(payload));
  return file;
}
