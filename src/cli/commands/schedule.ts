import { fileURLToPath } from 'node:url';
import { Option, type Command } from 'commander';
import { serveMetrics, type MetricsServer } from '../../metrics/metrics-server.js';
import { startDbforkChild } from '../../schedule/child-run.js';
import { crontabEntry } from '../../schedule/crontab-entry.js';
import { parseCronSchedule, type CronSchedule } from '../../schedule/cron-schedule.js';
import { scheduleMetrics } from '../../schedule/schedule-metrics.js';
import {
  scheduleName,
  type DbforkInvocation,
  type ScheduledCommand,
} from '../../schedule/scheduled-command.js';
import { Scheduler, type SchedulerEvent } from '../../schedule/scheduler.js';
import { systemdUnits } from '../../schedule/systemd-units.js';
import type { CommandContext } from '../context.js';
import { handleInterrupts } from '../interrupts.js';
import { UsageError } from '../../errors/index.js';
import { parseCount } from '../option-groups.js';
import { scheduledCommandOf } from '../scheduled-command-of.js';

interface ScheduleOptions {
  cron: string;
  timezone?: string;
  metricsPort?: string;
  metricsHost: string;
  print?: 'systemd' | 'crontab';
  name?: string;
  envFile: string;
}

/** This dbfork, as a child process or a unit file starts it: this Node, this CLI entry. */
const INVOCATION: DbforkInvocation = {
  program: process.execPath,
  entry: fileURLToPath(new URL('../main.js', import.meta.url)),
};

/**
 * `dbfork schedule --cron <expr> -- <command…>`: run a dbfork command on a cron schedule, in this
 * process (one run at a time, `/metrics` on `--metrics-port`), or print a systemd timer or a crontab
 * entry that does so.
 */
export function define(command: Command, context: () => CommandContext): void {
  command
    .argument('<command...>', 'the dbfork command to run, after -- (e.g. -- snapshot create --db app …)')
    .requiredOption('--cron <expression>', 'cron expression: 5 fields, or 6 with seconds first, or @daily…')
    .option('--timezone <zone>', "IANA time zone of the expression (default: the host's)")
    .option('--metrics-port <port>', 'serve Prometheus metrics of the runs at http://<host>:<port>/metrics')
    .option('--metrics-host <address>', 'address the metrics endpoint listens on', '127.0.0.1')
    .addOption(
      new Option(
        '--print <format>',
        'print a systemd service and timer, or a crontab entry; run nothing',
      ).choices(['systemd', 'crontab']),
    )
    .option('--name <name>', 'with --print: unit and lock name (default: dbfork-<command>-<db>)')
    .option(
      '--env-file <path>',
      'with --print: file of NAME=value lines holding the connection strings',
      '/etc/dbfork/dbfork.env',
    )
    .action(async (args: string[], options: ScheduleOptions) => {
      const ctx = context();
      const schedule = parseCronSchedule(options.cron, options.timezone);
      const scheduled = scheduledCommandOf(args);
      if (options.print) return print(ctx, options, schedule, scheduled);
      const port = options.metricsPort === undefined ? undefined : parsePort(options.metricsPort);
      await runScheduler(ctx, schedule, scheduled, port, options.metricsHost);
    });
}

function print(
  ctx: CommandContext,
  options: ScheduleOptions,
  schedule: CronSchedule,
  scheduled: ScheduledCommand,
): void {
  const name = options.name ?? scheduleName(scheduled);
  if (options.print === 'crontab') {
    const entry = crontabEntry(schedule, INVOCATION, scheduled, {
      lockFile: `/run/lock/${name}.lock`,
      envFile: options.envFile,
    });
    ctx.output.result({ crontab: entry });
    if (!ctx.json) process.stdout.write(entry);
    return;
  }
  const units = systemdUnits(schedule, INVOCATION, scheduled, { name, envFile: options.envFile });
  ctx.output.result({ name, ...units });
  ctx.output.line(`# /etc/systemd/system/${name}.service`);
  ctx.output.line(units.service);
  ctx.output.line(`# /etc/systemd/system/${name}.timer`);
  ctx.output.line(units.timer);
  ctx.output.line(`# then: systemctl daemon-reload && systemctl enable --now ${name}.timer`);
}

/** Tick until SIGTERM/SIGINT; then stop ticking, forward the signal to a run that goes on, wait for it. */
async function runScheduler(
  ctx: CommandContext,
  schedule: CronSchedule,
  scheduled: ScheduledCommand,
  port: number | undefined,
  host: string,
): Promise<void> {
  const metrics = scheduleMetrics();
  const labels = { command: scheduled.command, database: scheduled.database };
  const scheduler = new Scheduler({
    schedule,
    start: () => startDbforkChild(INVOCATION, scheduled.args),
    metrics,
    labels,
    onEvent: (event) => logEvent(ctx, scheduled, event),
  });
  let server: MetricsServer | undefined;
  if (port !== undefined) server = await serveMetrics(metrics.registry, port, host);
  const stopped = new Promise<void>((resolve) => {
    let stopping = false;
    handleInterrupts((signal) => {
      if (stopping) process.exit(130); // a second signal: now
      stopping = true;
      void scheduler.stop(signal).then(resolve);
    });
  });
  scheduler.start();
  ctx.logger.info(
    {
      cron: schedule.expression,
      timezone: schedule.timezone,
      command: scheduled.command,
      ...(server ? { metrics: `http://${host}:${server.port}/metrics` } : {}),
    },
    'scheduler started',
  );
  await stopped;
  await server?.close();
  ctx.logger.info({ command: scheduled.command }, 'scheduler stopped');
}

function logEvent(ctx: CommandContext, scheduled: ScheduledCommand, event: SchedulerEvent): void {
  const fields = { ...event, command: scheduled.command };
  switch (event.type) {
    case 'run-start':
      return ctx.logger.info(fields, 'run started');
    case 'run-end':
      return event.outcome === 'success'
        ? ctx.logger.info(fields, 'run succeeded')
        : ctx.logger.error(fields, 'run failed');
    case 'overlap-skipped':
      return ctx.logger.warn(fields, 'tick skipped: the previous run is still going on');
    case 'stopping':
      return ctx.logger.info(fields, 'stopping: no new runs');
  }
}

/** @throws UsageError `CONFIG_BAD_OPTION` for a port outside 0..65535 (0: any free port) */
function parsePort(text: string): number {
  const port = parseCount(text, '--metrics-port', 0);
  if (port > 65535) throw new UsageError('CONFIG_BAD_OPTION', `--metrics-port takes 0..65535, got ${text}`);
  return port;
}
