import type { CronSchedule } from './cron-schedule.js';
import { onCalendarOf } from './on-calendar.js';
import type { DbforkInvocation, ScheduledCommand } from './scheduled-command.js';

export interface SystemdOptions {
  /** Unit name without suffix (`dbfork-snapshot-create-app`). */
  readonly name: string;
  /** `EnvironmentFile=` of `NAME=value` lines: the connection strings, never on the command line. */
  readonly envFile: string;
}

/**
 * A systemd service (`Type=oneshot`) and timer pair for a schedule, as two files' texts. systemd
 * starts no second run of a service that is still active, so a tick during a run is skipped.
 * `Persistent=true` runs a tick missed while the host was down at the next boot.
 *
 * Formats: systemd.service(5), systemd.timer(5), systemd.time(7); `ExecStart=` words are quoted as
 * systemd.syntax(7) says, with `%` and `$` doubled.
 * @throws UsageError `SCHEDULE_NOT_EXPRESSIBLE` when OnCalendar cannot say the cron expression
 */
export function systemdUnits(
  schedule: CronSchedule,
  invocation: DbforkInvocation,
  command: ScheduledCommand,
  options: SystemdOptions,
): { readonly service: string; readonly timer: string } {
  const onCalendar = onCalendarOf(schedule);
  const exec = [invocation.program, invocation.entry, ...command.args].map(systemdQuote).join(' ');
  const service = [
    '[Unit]',
    `Description=dbfork ${command.command.replace(/_/g, ' ')}${command.database ? ` (${command.database})` : ''}`,
    'Wants=network-online.target',
    'After=network-online.target',
    '',
    '[Service]',
    'Type=oneshot',
    `EnvironmentFile=${options.envFile}`,
    `ExecStart=${exec}`,
    'UMask=0077',
    'NoNewPrivileges=yes',
    'PrivateTmp=yes',
    '',
  ].join('\n');
  const timer = [
    '[Unit]',
    `Description=Run ${options.name}.service on "${schedule.expression}"${schedule.timezone ? ` (${schedule.timezone})` : ''}`,
    '',
    '[Timer]',
    `OnCalendar=${onCalendar}`,
    'Persistent=true',
    `Unit=${options.name}.service`,
    '',
    '[Install]',
    'WantedBy=timers.target',
    '',
  ].join('\n');
  return { service, timer };
}

function systemdQuote(word: string): string {
  const escaped = word.replace(/%/g, '%%').replace(/\$/g, '$$$$');
  return /^[A-Za-z0-9_@+=:,./-]+$/.test(escaped)
    ? escaped
    : `"${escaped.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}
