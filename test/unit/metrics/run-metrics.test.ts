import { describe, expect, it } from 'vitest';
import { previousSuccessSeconds } from '../../../src/metrics/previous-success.js';
import { renderRunMetrics } from '../../../src/metrics/run-metrics.js';
import { RunRecorder } from '../../../src/metrics/run-recorder.js';
import { figuresOf, type RunReport } from '../../../src/metrics/run-report.js';

const startedAt = new Date('2026-03-01T02:00:00Z');
const finishedAt = new Date('2026-03-01T02:00:12.5Z');
const figures = figuresOf([
  { namespace: 'app.users', documents: 185, bytes: 40_000 },
  { namespace: 'app.events.2026', documents: 15, bytes: 2_000 },
]);
const success: RunReport = {
  command: 'snapshot_create',
  database: 'app',
  outcome: 'success',
  startedAt,
  finishedAt,
  figures,
};

describe('run metrics', () => {
  it('renders duration, figures, per-collection counts, success and last success with bounded labels', async () => {
    const text = await renderRunMetrics(success);
    const run = 'command="snapshot_create",database="app",outcome="success"';
    expect(text).toContain(`dbfork_run_duration_seconds{${run}} 12.5`);
    expect(text).toContain(`dbfork_run_documents{${run}} 200`);
    expect(text).toContain(`dbfork_run_bytes{${run}} 42000`);
    expect(text).toContain(
      'dbfork_run_collection_documents{command="snapshot_create",database="app",collection="events.2026"} 15',
    );
    expect(text).toContain('dbfork_run_success{command="snapshot_create",database="app"} 1');
    expect(text).toContain(
      `dbfork_last_success_timestamp_seconds{command="snapshot_create",database="app"} ${finishedAt.getTime() / 1000}`,
    );
    expect(text).toContain('# TYPE dbfork_run_bytes gauge');
    const labelNames = new Set([...text.matchAll(/(\w+)="/g)].map((m) => m[1]));
    expect([...labelNames].sort()).toEqual(['collection', 'command', 'database', 'outcome']);
  });

  it('a failure reports outcome failure, success 0, and keeps only a last success it was given', async () => {
    const failure: RunReport = { ...success, outcome: 'failure', figures: undefined };
    const bare = await renderRunMetrics(failure);
    expect(bare).toContain('dbfork_run_success{command="snapshot_create",database="app"} 0');
    expect(bare).toContain('outcome="failure"');
    expect(bare).not.toContain('dbfork_last_success_timestamp_seconds{');
    expect(bare).not.toContain('dbfork_run_collection_documents{');
    const kept = await renderRunMetrics(failure, { previousSuccessSeconds: 1_700_000_000 });
    expect(kept).toContain(
      'dbfork_last_success_timestamp_seconds{command="snapshot_create",database="app"} 1700000000',
    );
  });

  it('finds the last success of the same command and database in an earlier exposition', async () => {
    const text = await renderRunMetrics(success);
    expect(previousSuccessSeconds(text, success)).toBe(finishedAt.getTime() / 1000);
    expect(previousSuccessSeconds(text, { command: 'restore', database: 'app' })).toBeUndefined();
    expect(previousSuccessSeconds(text, { command: 'snapshot_create', database: 'other' })).toBeUndefined();
    expect(previousSuccessSeconds('garbage\n', success)).toBeUndefined();
  });

  it('a recorder times the run on its clock and names a database learned late', () => {
    const times = [startedAt, finishedAt];
    const recorder = new RunRecorder({ command: 'apply', database: '' }, () => times.shift()!);
    recorder.database('app');
    recorder.figures(figures);
    expect(recorder.finish('success')).toEqual({ ...success, command: 'apply' });
  });
});
