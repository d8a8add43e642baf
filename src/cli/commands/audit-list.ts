import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import type { Command } from 'commander';
import { parseDuration } from '../../core/duration.js';
import { UsageError } from '../../errors/index.js';
import { AuditRecordSchema, readAuditSince, type AuditRecord } from '../../store/audit-log.js';
import { groupAuditRuns, runTargets, type AuditRun } from '../../store/audit-runs.js';
import { openObjectStore } from '../../store/open-snapshot-store.js';
import type { CommandContext } from '../context.js';
import { storeOption } from '../option-groups.js';
import { table } from '../output.js';

interface AuditListOptions {
  store?: string;
  file?: string;
  since: string;
  target?: string;
  action?: string;
}

/**
 * `dbfork audit list`: the audited runs since a time, oldest first, one row each: when, who, what,
 * from, to, outcome (a run with a start record and no end is `interrupted`, or `running` while its
 * process lives). Reads the store's `audit/<day>/` records, or an `--audit-log` file with `--file`.
 */
export function define(command: Command, context: () => CommandContext): void {
  command
    .addOption(storeOption('store holding the audit records ($DBFORK_AUDIT_STORE when set and no --store)'))
    .option('--file <jsonl>', 'read this --audit-log JSON-lines file instead of the store')
    .option(
      '--since <when>',
      'runs started at or after: a duration back from now (7d, 12h) or an ISO date/time',
      '7d',
    )
    .option('--target <db>', 'only runs whose target is this database (or URI ending in it)')
    .option('--action <action>', 'only runs of this action, e.g. restore, snapshot.capture')
    .action(async (options: AuditListOptions) => {
      const ctx = context();
      const since = sinceOf(options.since);
      const records =
        options.file !== undefined
          ? readLogFile(options.file).filter((r) => r.at >= since.toISOString())
          : await readAuditSince(
              await openObjectStore(options.store ?? (process.env.DBFORK_AUDIT_STORE || undefined)),
              since,
            );
      const runs = groupAuditRuns(records, alive)
        .filter((r) => options.target === undefined || runTargets(r, options.target))
        .filter((r) => options.action === undefined || r.action === options.action);
      ctx.output.result(runs.map(({ records: _records, ...run }) => run));
      if (runs.length === 0) return ctx.output.line(`no audited runs since ${since.toISOString()}`);
      ctx.output.line(
        table(
          ['started', 'outcome', 'action', 'actor', 'source', 'target', 'run'],
          runs.map((r) => [
            r.startedAt,
            r.outcome,
            r.action,
            r.actor,
            describe(r.source),
            describe(r.target),
            r.runId,
          ]),
        ),
      );
    });
}

function sinceOf(text: string): Date {
  if (/^\d{4}-\d{2}-\d{2}/.test(text)) {
    const at = new Date(text);
    if (!Number.isNaN(at.getTime())) return at;
    throw new UsageError('CONFIG_BAD_OPTION', `--since is not a date: ${text}`, {
      hint: 'give an ISO date (2026-12-01), a date and time (2026-12-01T06:00:00Z) or a duration (7d)',
    });
  }
  return new Date(Date.now() - parseDuration(text, '--since'));
}

function readLogFile(file: string): AuditRecord[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError('CONFIG_BAD_OPTION', `cannot read the audit log ${file}`, {
      subject: { file },
      hint: 'give the file a run wrote with --audit-log',
      cause: error,
    });
  }
  return text.split('\n').flatMap((line) => {
    if (line.trim() === '') return [];
    try {
      const parsed = AuditRecordSchema.safeParse(JSON.parse(line));
      return parsed.success ? [parsed.data] : [];
    } catch {
      return [];
    }
  });
}

/** A process of this host still running? Another host's is taken as gone. */
function alive(host: string | undefined, pid: number | undefined): boolean {
  if (host !== hostname() || pid === undefined) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function describe(part: AuditRun['source']): string {
  const text = Object.entries(part)
    .filter(([k]) => k !== 'store' || Object.keys(part).length === 1)
    .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join(',') : String(v)}`)
    .join(' ');
  return text === '' ? '-' : text;
}
