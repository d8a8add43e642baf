import type { Command } from 'commander';
import { processClock } from '../../core/clock.js';
import { formatDuration, parseDuration } from '../../core/duration.js';
import { EXIT_FINDINGS } from '../../errors/index.js';
import { backupStatus, type BackupStatus } from '../../pipeline/backup/backup-status.js';
import { openObjectStore } from '../../store/open-snapshot-store.js';
import { renderBackupStatusMetrics } from '../../metrics/backup-status-metrics.js';
import type { CommandContext } from '../context.js';
import { storeOption } from '../option-groups.js';
import { table } from '../output.js';
import { formatBytes } from '../progress-view.js';

/**
 * `dbfork backup status`: the last success and failure of each backup, their ages and sizes; exit 1
 * when a backup's last success is older than `--max-age` (or it never succeeded), 0 otherwise.
 * `--prometheus` prints the same as metrics (for node_exporter's textfile collector or a scrape).
 */
export function define(command: Command, context: () => CommandContext): void {
  command
    .addOption(storeOption('backup store URL'))
    .option('--name <name>', 'only this backup (default: every backup in the store)')
    .option('--max-age <duration>', 'a last success older than this is stale (exit 1)', '26h')
    .option('--prometheus', 'print the status as Prometheus metrics (text exposition) instead of a table')
    .action(async (options: { store?: string; name?: string; maxAge: string; prometheus?: boolean }) => {
      const ctx = context();
      const maxAgeMs = parseDuration(options.maxAge, '--max-age');
      const report = await backupStatus(await openObjectStore(options.store), {
        ...(options.name === undefined ? {} : { name: options.name }),
        maxAgeMs,
        now: processClock(),
      });
      if (options.prometheus) {
        process.stdout.write(await renderBackupStatusMetrics(report.backups, maxAgeMs));
        if (!report.healthy) process.exitCode = EXIT_FINDINGS;
        return;
      }
      ctx.output.result(report);
      if (report.backups.length === 0) ctx.output.line(`no backups in ${report.store}`);
      else
        ctx.output.line(
          table(
            ['backup', 'state', 'last success', 'age', 'size', 'last failure', 'failure age'],
            report.backups.map(row),
          ),
        );
      for (const b of report.backups) {
        if (b.state !== 'ok')
          ctx.logger.warn(
            { backup: b.name, state: b.state, ageMs: b.lastSuccess?.ageMs ?? null, maxAgeMs },
            b.state === 'never' ? 'backup never succeeded' : 'backup is stale',
          );
      }
      if (!report.healthy) process.exitCode = EXIT_FINDINGS;
    });
}

function row(b: BackupStatus): string[] {
  const s = b.lastSuccess;
  const f = b.lastFailure;
  return [
    b.name,
    b.state.toUpperCase(),
    s ? `${s.snapshot} (${s.completedAt})` : '-',
    s ? formatDuration(s.ageMs) : '-',
    s ? formatBytes(s.sizeBytes) : '-',
    f ? `${f.code} (${f.failedAt})` : '-',
    f ? formatDuration(f.ageMs) : '-',
  ];
}
