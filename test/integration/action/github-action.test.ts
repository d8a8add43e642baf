import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeGitHubApi, type FakeGitHubApi } from '../../helpers/fake-github-api.js';
import { runCli } from '../../helpers/run-cli.js';
import { REPO_ROOT, testTool } from '../../helpers/servers.js';

const require = createRequire(import.meta.url);
const examples = require('@octokit/webhooks-examples/api.github.com/index.json') as {
  name: string;
  examples: Record<string, unknown>[];
}[];
const REPO = 'Codertocat/Hello-World';
const labelObject = (name: string) => ({ id: name.length, node_id: `LA_${name}`, name, color: 'ededed' });

/** A real webhook payload of `action` with the labels (after the event) and the event's label set. */
function payload(action: string, labels: string[], label?: string): Record<string, unknown> {
  const found = examples.find((e) => e.name === 'pull_request')?.examples.find((e) => e.action === action);
  if (!found) throw new Error(`no ${action} example`);
  const pr = found.pull_request as Record<string, unknown>;
  return {
    ...found,
    ...(label === undefined ? {} : { label: labelObject(label) }),
    pull_request: { ...pr, state: 'open', labels: labels.map(labelObject) },
  };
}

interface ActionRun {
  code: number | null;
  stdout: string;
  outputs: Record<string, string>;
}

/** Run the committed bundle as the runner does: `node24 action/dist/index.js` with INPUT_* and GITHUB_*. */
async function runAction(
  api: FakeGitHubApi,
  event: unknown,
  inputs: Record<string, string> = {},
): Promise<ActionRun> {
  const dir = mkdtempSync(join(tmpdir(), 'dbfork-action-'));
  writeFileSync(join(dir, 'event.json'), JSON.stringify(event));
  writeFileSync(join(dir, 'output'), '');
  const defaults = parse(readFileSync(join(REPO_ROOT, 'action.yml'), 'utf8')) as {
    inputs: Record<string, { default?: string }>;
  };
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    GITHUB_EVENT_PATH: join(dir, 'event.json'),
    GITHUB_EVENT_NAME: 'pull_request',
    GITHUB_REPOSITORY: REPO,
    GITHUB_API_URL: api.url,
    GITHUB_OUTPUT: join(dir, 'output'),
    RUNNER_TEMP: dir,
  };
  // As the runner does: every input with its action.yml default, then the workflow's `with:`.
  for (const [name, spec] of Object.entries(defaults.inputs))
    env[`INPUT_${name.toUpperCase()}`] = name === 'github-token' ? 'ghs_test_token' : (spec.default ?? '');
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.toUpperCase()}`] = value;
  const child = spawn(testTool('NODE24_BIN'), [join(REPO_ROOT, 'action/dist/index.js')], { env, cwd: dir });
  let stdout = '';
  child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
  child.stderr.on('data', (b: Buffer) => (stdout += b.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  return { code, stdout, outputs: readOutputs(readFileSync(join(dir, 'output'), 'utf8')) };
}

/** The GITHUB_OUTPUT file: `name<<delimiter\nvalue\ndelimiter` blocks, as @actions/core writes them. */
function readOutputs(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const re = /^(.+?)<<(.+)\n([\s\S]*?)\n\2$/gm;
  for (const m of text.matchAll(re)) out[m[1] ?? ''] = m[3] ?? '';
  return out;
}

let api: FakeGitHubApi | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

describe('the GitHub Action under Node 24 against a recording GitHub API', () => {
  it('with persist-db present, reverts an added use-snapshot label and posts exactly one comment; a rerun posts none', async () => {
    api = await startFakeGitHubApi(REPO, 2);
    const event = payload('labeled', ['preview', 'persist-db', 'use-snapshot'], 'use-snapshot');
    const run = await runAction(api, event);
    expect(run.stdout).not.toMatch(/::error/);
    expect(run.code).toBe(0);
    const writes = api.calls.filter((c) => c.method !== 'GET');
    expect(writes.map((c) => `${c.method} ${c.url}`)).toEqual([
      `DELETE /repos/${REPO}/issues/2/labels/use-snapshot`,
      `POST /repos/${REPO}/issues/2/comments`,
    ]);
    expect(api.calls.every((c) => c.authorization === 'token ghs_test_token')).toBe(true);
    const posted = (writes[1]?.body as { body: string }).body;
    expect(posted).toMatch(/<!-- dbfork:event=pr-2-labeled-use-snapshot-[^>]+ -->/);
    expect(posted).toContain('persist-db');
    expect(run.outputs).toMatchObject({ database: 'app_pr_2', persist_db: 'true', snapshot_id: '' });
    const actions = JSON.parse(run.outputs.actions ?? '[]') as { type: string; operation?: string }[];
    expect(actions.map((a) => a.type)).toEqual(['revert-label', 'comment', 'keep']);
    expect(actions[0]?.operation).toBe('remove');

    // The same event again (a re-run): the comment with its marker is there, so nothing is posted.
    api.calls.length = 0;
    const again = await runAction(api, event);
    expect(again.code).toBe(0);
    expect(api.calls.filter((c) => c.method === 'POST' || c.method === 'PATCH')).toEqual([]);
    expect(api.comments).toHaveLength(1);
  });

  it('updates, rather than posts, a comment of the same event whose text differs', async () => {
    const event = payload('labeled', ['preview', 'persist-db', 'use-snapshot'], 'use-snapshot');
    api = await startFakeGitHubApi(REPO, 2);
    await runAction(api, event);
    const marker = /<!-- dbfork:event=[^>]+ -->/.exec(api.comments[0]?.body ?? '')?.[0] ?? '';
    await api.close();
    api = await startFakeGitHubApi(REPO, 2, [
      { id: 77, body: 'someone else' },
      { id: 78, body: `an older text\n${marker}` },
    ]);
    const run = await runAction(api, event);
    expect(run.code).toBe(0);
    const writes = api.calls.filter((c) => c.method === 'POST' || c.method === 'PATCH');
    expect(writes.map((c) => `${c.method} ${c.url}`)).toEqual([`PATCH /repos/${REPO}/issues/comments/78`]);
    expect(api.comments.find((c) => c.id === 77)?.body).toBe('someone else');
  });

  it('re-adds a removed use-snapshot label while locked, and sets the outputs', async () => {
    api = await startFakeGitHubApi(REPO, 2);
    const run = await runAction(api, payload('unlabeled', ['preview', 'persist-db'], 'use-snapshot'));
    expect(run.code).toBe(0);
    const add = api.calls.find((c) => c.method === 'POST' && c.url.endsWith('/labels'));
    expect(add?.body).toEqual({ labels: ['use-snapshot'] });
    expect(run.outputs.db_source).toBe('snapshot');
    expect(run.outputs.persist_db).toBe('true');
  });

  it('without a lock, adding use-snapshot restores the snapshot: outputs say so and no label is reverted', async () => {
    api = await startFakeGitHubApi(REPO, 2);
    const run = await runAction(api, payload('labeled', ['preview', 'use-snapshot'], 'use-snapshot'), {
      'snapshot-taken-at': '2026-11-29T03:00:00Z',
    });
    expect(run.code).toBe(0);
    expect(api.calls.filter((c) => c.url.includes('/labels'))).toEqual([]);
    expect(run.outputs).toMatchObject({ db_source: 'snapshot', snapshot_id: 'latest', persist_db: 'false' });
    expect(JSON.parse(run.outputs.actions ?? '[]')).toContainEqual(
      expect.objectContaining({ type: 'restore-snapshot', snapshot: 'latest' }),
    );
  });

  it('carries out the decision dbfork preview decide --json printed, as it is', async () => {
    api = await startFakeGitHubApi(REPO, 2);
    const event = payload('labeled', ['preview', 'persist-db', 'use-snapshot'], 'use-snapshot');
    const dir = mkdtempSync(join(tmpdir(), 'dbfork-decide-'));
    writeFileSync(join(dir, 'event.json'), JSON.stringify(event));
    // The state a step that reads the target would give: made from a snapshot, locked.
    const decided = await runCli([
      '--json',
      'preview',
      'decide',
      '--event',
      join(dir, 'event.json'),
      '--database-exists',
      '--database-locked',
      '--database-source',
      'snapshot',
    ]);
    expect(decided.code, decided.stderr).toBe(0);
    const run = await runAction(api, event, { decision: decided.stdout.trim() });
    expect(run.code).toBe(0);
    expect(api.calls.filter((c) => c.method !== 'GET').map((c) => `${c.method} ${c.url}`)).toEqual([
      `DELETE /repos/${REPO}/issues/2/labels/use-snapshot`,
      `POST /repos/${REPO}/issues/2/comments`,
    ]);
    expect(run.outputs).toMatchObject({ database: 'app_pr_2', db_source: 'snapshot', persist_db: 'true' });
    const bad = await runAction(api, event, { decision: '{"database":"x","actions":[]}' });
    expect(bad.code).not.toBe(0);
    expect(bad.stdout).toContain('::error::input decision is not a dbfork decision');
  });

  it('dry-run makes no change; a bad input fails the step with its name', async () => {
    api = await startFakeGitHubApi(REPO, 2);
    const event = payload('labeled', ['preview', 'persist-db', 'use-snapshot'], 'use-snapshot');
    const dry = await runAction(api, event, { 'dry-run': 'true' });
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('would make: label-removed use-snapshot');
    expect(api.calls.filter((c) => c.method !== 'GET')).toEqual([]);
    const bad = await runAction(api, event, { 'max-databases': 'lots' });
    expect(bad.code).not.toBe(0);
    expect(bad.stdout).toContain('::error::input max-databases takes a whole number, got lots');
  });
});
