import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/run-cli.js';
import { writeEvent, type EventCase } from './webhook-events.js';

const dir = mkdtempSync(join(tmpdir(), 'dbfork-decide-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Row {
  readonly name: string;
  readonly event: EventCase;
  readonly flags: readonly string[];
  readonly types: readonly string[];
  readonly locked: boolean;
  readonly source: string;
}

const P = 'preview';
const S = 'use-snapshot';
const D = 'persist-db';
const ROWS: readonly Row[] = [
  {
    name: 'opened with both labels, no database: snapshot, then locked',
    event: { action: 'opened', number: 41, labels: [P, S, D] },
    flags: [],
    types: ['restore-snapshot', 'comment'],
    locked: true,
    source: 'snapshot',
  },
  {
    name: 'synchronize, no labels but preview: drop, seed',
    event: { action: 'synchronize', number: 42, labels: [P] },
    flags: ['--database-exists'],
    types: ['drop-database', 'create-from-seed'],
    locked: false,
    source: 'seed',
  },
  {
    name: 'labeled use-snapshot while locked: revert, comment, keep',
    event: { action: 'labeled', number: 43, labels: [P, S, D], label: S },
    flags: ['--database-exists'],
    types: ['revert-label', 'comment', 'keep'],
    locked: true,
    source: 'snapshot',
  },
  {
    name: 'unlabeled use-snapshot while locked: revert (add), comment, keep',
    event: { action: 'unlabeled', number: 44, labels: [P, D], label: S },
    flags: ['--database-exists', '--database-source', 'snapshot'],
    types: ['revert-label', 'comment', 'keep'],
    locked: true,
    source: 'snapshot',
  },
  {
    name: 'closed with persist-db: kept, warning',
    event: { action: 'closed', number: 45, labels: [P, D] },
    flags: ['--database-exists'],
    types: ['keep', 'comment'],
    locked: true,
    source: 'seed',
  },
  {
    name: 'merged without persist-db: dropped',
    event: { action: 'closed', number: 46, labels: [P], merged: true },
    flags: ['--database-exists'],
    types: ['drop-database', 'comment'],
    locked: false,
    source: 'seed',
  },
  {
    name: 'unlabeled persist-db on a closed PR: dropped',
    event: { action: 'unlabeled', number: 47, labels: [P], label: D, state: 'closed' },
    flags: ['--database-locked'],
    types: ['drop-database', 'comment'],
    locked: false,
    source: 'seed',
  },
];

describe('dbfork preview decide --json on recorded webhook payloads (@octokit/webhooks-examples)', () => {
  it.each(ROWS)('$name', async (row) => {
    const file = writeEvent(dir, row.event);
    const res = await runCli(['preview', 'decide', '--event', file, ...row.flags, '--json']);
    expect(res.code, res.stderr).toBe(0);
    const lines = res.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const out = JSON.parse(lines[0] ?? '') as {
      database: string;
      source: string;
      locked: boolean;
      actions: { type: string }[];
    };
    expect(Object.keys(out)).toEqual(['database', 'source', 'locked', 'actions']);
    expect(out.database).toBe(`app_pr_${row.event.number}`);
    expect(out.actions.map((a) => a.type)).toEqual(row.types);
    expect(out.locked).toBe(row.locked);
    expect(out.source).toBe(row.source);
  });

  it('a bad #preview-config block in the payload body: one comment quoting the error and its line', async () => {
    const body =
      'Adds a thing\n\n```yaml\n#preview-config\ndatabase:\n  source: snapshot\n  anonymize: false\n```\n';
    const file = writeEvent(dir, { action: 'synchronize', number: 48, labels: [P], body });
    const res = await runCli(['preview', 'decide', '--event', file, '--database-exists', '--json']);
    expect(res.code, res.stderr).toBe(0);
    const out = JSON.parse(res.stdout) as { actions: { type: string; kind?: string; text?: string }[] };
    expect(out.actions.map((a) => a.type)).toEqual(['none', 'comment']);
    expect(out.actions[1]?.kind).toBe('config-error');
    expect(out.actions[1]?.text).toContain('(line 7 of the description)');
    expect(out.actions[1]?.text).toContain('  anonymize: false');
    const allowed = await runCli([
      'preview',
      'decide',
      '--event',
      file,
      '--database-exists',
      '--allow-raw-snapshots',
      '--json',
    ]);
    expect(
      (JSON.parse(allowed.stdout) as { actions: { type: string }[] }).actions.map((a) => a.type),
    ).toEqual(['drop-database', 'restore-snapshot']);
  });

  it('an action dbfork does not act on is a usage error (exit 2)', async () => {
    const file = writeEvent(dir, { action: 'opened', number: 49, labels: [] });
    const payload = JSON.parse((await import('node:fs')).readFileSync(file, 'utf8')) as Record<
      string,
      unknown
    >;
    (await import('node:fs')).writeFileSync(file, JSON.stringify({ ...payload, action: 'assigned' }));
    const res = await runCli(['preview', 'decide', '--event', file, '--json']);
    expect(res.code).toBe(2);
    expect(res.stdout + res.stderr).toContain('PREVIEW_BAD_EVENT');
  });
});
