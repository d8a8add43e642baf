import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { pullRequestOfDatabase, previewDatabaseName } from '../../../src/preview/database-name.js';
import { readPullRequestEvent } from '../../../src/preview/pull-request-event.js';

const require = createRequire(import.meta.url);
const examples = require('@octokit/webhooks-examples/api.github.com/index.json') as {
  name: string;
  examples: Record<string, unknown>[];
}[];
const pr = examples.find((e) => e.name === 'pull_request')?.examples ?? [];
const example = (action: string): Record<string, unknown> => {
  const found = pr.find((e) => e.action === action);
  if (!found) throw new Error(`no ${action} example`);
  return found;
};

describe('pull_request payloads (@octokit/webhooks-examples)', () => {
  it('reads a labeled payload: kind, label, labels, state, a stable event id', () => {
    const a = readPullRequestEvent(example('labeled'));
    expect(a.event.kind).toBe('labeled');
    expect(a.event.label).toBe('bug');
    expect(a.pullRequest.labels).toContain('bug');
    expect(a.pullRequest.number).toBe(2);
    expect(readPullRequestEvent(example('labeled')).event.id).toBe(a.event.id);
  });

  it('a merged close reads as merged', () => {
    const closed = example('closed');
    const pull = closed.pull_request as Record<string, unknown>;
    expect(readPullRequestEvent({ ...closed, pull_request: { ...pull, merged: true } }).event.kind).toBe(
      'merged',
    );
    expect(readPullRequestEvent({ ...closed, pull_request: { ...pull, merged: false } }).event.kind).toBe(
      'closed',
    );
  });

  it('refuses other payloads and actions', () => {
    expect(() => readPullRequestEvent({ action: 'opened' })).toThrow(/not a pull_request event payload/);
    expect(() => readPullRequestEvent(example('assigned'))).toThrow(/"assigned" is not one dbfork acts on/);
  });

  it('database names follow the template both ways', () => {
    const t = { databaseTemplate: 'app_pr_{number}' };
    expect(previewDatabaseName(t, 7)).toBe('app_pr_7');
    expect(pullRequestOfDatabase(t, 'app_pr_7')).toBe(7);
    expect(pullRequestOfDatabase(t, 'app_pr_07')).toBeNull();
    expect(pullRequestOfDatabase(t, 'app_staging')).toBeNull();
    expect(pullRequestOfDatabase({ databaseTemplate: 'x.{number}' }, 'xy12')).toBeNull();
  });
});
