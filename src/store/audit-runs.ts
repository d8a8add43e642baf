import type { AuditRecord } from './audit-log.js';

/** One run as its audit records tell it: the `started` record and, when it ended, the end record. */
export interface AuditRun {
  readonly runId: string;
  readonly action: string;
  readonly command: string | null;
  /** ISO 8601 UTC of the first record. */
  readonly startedAt: string;
  /** ISO 8601 UTC of the end record, or null. */
  readonly endedAt: string | null;
  /**
   * How it ended: the end record's outcome; `running` when there is none and the process that
   * started it still runs on this host; `interrupted` when there is none otherwise (killed: SIGKILL,
   * an OOM kill, a lost node).
   */
  readonly outcome: 'succeeded' | 'failed' | 'interrupted' | 'running';
  readonly actor: string;
  readonly source: Record<string, unknown>;
  readonly target: Record<string, unknown>;
  readonly records: readonly AuditRecord[];
}

/** Is a process of this host alive? (a test seam for `groupAuditRuns`) */
export type ProcessProbe = (host: string | undefined, pid: number | undefined) => boolean;

/**
 * Group records into runs by `runId`, oldest first. Pure apart from `alive`.
 */
export function groupAuditRuns(records: readonly AuditRecord[], alive: ProcessProbe): AuditRun[] {
  const byRun = new Map<string, AuditRecord[]>();
  for (const r of [...records].sort((a, b) => a.at.localeCompare(b.at) || a.id.localeCompare(b.id))) {
    const list = byRun.get(r.runId) ?? [];
    list.push(r);
    byRun.set(r.runId, list);
  }
  return [...byRun.values()].map((list) => {
    const first = list[0] as AuditRecord;
    const end = list.find((r) => r.outcome !== 'started');
    const outcome =
      end === undefined
        ? alive(first.host, first.pid)
          ? 'running'
          : 'interrupted'
        : (end.outcome as AuditRun['outcome']);
    return {
      runId: first.runId,
      action: first.action,
      command: first.command ?? null,
      startedAt: first.at,
      endedAt: end?.at ?? null,
      outcome,
      actor: first.actor.name,
      source: first.source,
      target: first.target,
      records: list,
    };
  });
}

/**
 * Does a run touch `target`? True when any string of its target record (a URI, a database, a list of
 * databases) equals `target` or ends with `/<target>` (a URI's database).
 */
export function runTargets(run: AuditRun, target: string): boolean {
  const values = Object.values(run.target).flatMap((v) => (Array.isArray(v) ? v : [v]));
  return values.some((v) => typeof v === 'string' && (v === target || v.endsWith(`/${target}`)));
}
