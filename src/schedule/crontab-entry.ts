import { UsageError } from '../errors/index.js';
import type { CronSchedule } from './cron-schedule.js';
import type { DbforkInvocation, ScheduledCommand } from './scheduled-command.js';

export interface CrontabOptions {
  /** Lock file `flock -n` holds while a run goes on, so a tick during a run is skipped. */
  readonly lockFile: string;
  /** Shell file of `NAME=value` lines (the connection strings), read before the run. */
  readonly envFile: string;
}

/**
 * A crontab entry for a schedule: `CRON_TZ=` when a time zone is given (cronie honours it), then the
 * five time fields and a command that reads the credentials from `envFile` (never from the command
 * line, which `ps` and the crontab show) and runs dbfork under `flock -n`, which skips the run while
 * the previous one holds the lock.
 *
 * Format: crontab(5): `%` in the command is a newline unless escaped, so it is escaped.
 * @throws UsageError `SCHEDULE_NOT_EXPRESSIBLE` for a seconds field other than `0` (cron has minutes)
 */
export function crontabEntry(
  schedule: CronSchedule,
  invocation: DbforkInvocation,
  command: ScheduledCommand,
  options: CrontabOptions,
): string {
  const fields = schedule.expression.split(/\s+/);
  let time = schedule.expression;
  if (fields.length === 6) {
    if (fields[0] !== '0')
      throw new UsageError(
        'SCHEDULE_NOT_EXPRESSIBLE',
        `--cron "${schedule.expression}" runs within a minute; cron cannot`,
        {
          hint: 'use five fields (or 0 seconds) for a crontab, or run `dbfork schedule` in-process for seconds',
        },
      );
    time = fields.slice(1).join(' ');
  }
  const run = ['flock', '-n', options.lockFile, invocation.program, invocation.entry, ...command.args].map(
    shellQuote,
  );
  const line = `${time} set -a && . ${shellQuote(options.envFile)} && set +a && exec ${run.join(' ')}`;
  return [
    `# ${command.command} every "${schedule.expression}"${schedule.timezone ? ` (${schedule.timezone})` : ''}; credentials come from ${options.envFile} (chmod 600)`,
    ...(schedule.timezone ? [`CRON_TZ=${schedule.timezone}`] : []),
    line.replace(/%/g, '\\%'),
    '',
  ].join('\n');
}

/** A word for /bin/sh: as it is when safe, else in single quotes. */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
