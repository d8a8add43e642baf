import { describe, expect, it } from 'vitest';
import type { AuditRecord } from '../../../src/store/audit-log.js';
import { groupAuditRuns, runTargets } from '../../../src/store/audit-runs.js';

const record = (runId: string, outcome: AuditRecord['outcome'], at: string, pid = 10): AuditRecord => ({
  schemaVersion: 1,
  id: `${at}-${runId}`,
  at,
  action: 'restore',
  runId,
  outcome,
  host: 'h1',
  pid,
  actor: { kind: 'user', name: 'alice', detail: {} },
  source: { snapshot: 'app@latest' },
  target: { uri: 'mongodb://h/app_staging', db: 'app_staging' },
});

describe('audit runs from records', () => {
  it('pairs start and end by run; a run without an end is running while its process lives, else interrupted', () => {
    const records = [
      record('b', 'started', '2026-12-01T02:00:00.000Z', 20),
      record('a', 'succeeded', '2026-12-01T01:05:00.000Z'),
      record('a', 'started', '2026-12-01T01:00:00.000Z'),
      record('c', 'started', '2026-12-01T03:00:00.000Z', 30),
    ];
    const runs = groupAuditRuns(records, (host, pid) => host === 'h1' && pid === 30);
    expect(runs.map((r) => [r.runId, r.outcome, r.endedAt])).toEqual([
      ['a', 'succeeded', '2026-12-01T01:05:00.000Z'],
      ['b', 'interrupted', null],
      ['c', 'running', null],
    ]);
    expect(runs[0]?.records.map((r) => r.outcome)).toEqual(['started', 'succeeded']);
  });

  it('a target matches by database name or a URI ending in it, not by a prefix', () => {
    const [run] = groupAuditRuns([record('a', 'started', '2026-12-01T01:00:00.000Z')], () => false);
    expect(runTargets(run!, 'app_staging')).toBe(true);
    expect(runTargets(run!, 'app')).toBe(false);
    expect(runTargets(run!, 'mongodb://h/app_staging')).toBe(true);
  });
});
