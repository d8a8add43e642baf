import type { Command } from 'commander';
import { UsageError } from '../../errors/index.js';
import { openSnapshotStore } from '../../store/open-snapshot-store.js';
import { applyRetention, type RetentionPolicy } from '../../store/retention.js';
import type { CommandContext } from '../context.js';
import { table } from '../output.js';

interface PruneOptions {
  name?: string;
  keepLast?: string;
  keepDaily?: string;
  keepWeekly?: string;
  keepMonthly?: string;
  dryRun?: boolean;
  store?: string;
}

/**
 * `dbfork snapshot prune`: apply a retention policy (store/retention.ts). `latest` is never pruned;
 * abandoned incomplete snapshots (their writer is gone) are removed too.
 */
export function registerSnapshotPrune(group: Command, context: () => CommandContext): void {
  group
    .command('prune')
    .description('delete snapshots a retention policy does not keep (latest is always kept)')
    .option('--store <url>', 'snapshot store URL (default $DBFORK_STORE or file://~/.dbfork/snapshots)')
    .option('--name <name>', 'only snapshots of this name (default: every name, each on its own)')
    .option('--keep-last <n>', 'keep the n newest')
    .option('--keep-daily <n>', 'keep the newest of each of the n most recent days')
    .option('--keep-weekly <n>', 'keep the newest of each of the n most recent ISO weeks')
    .option('--keep-monthly <n>', 'keep the newest of each of the n most recent months')
    .option('--dry-run', 'list what would go, delete nothing')
    .action(async (options: PruneOptions) => {
      const ctx = context();
      const policy = parsePolicy(options);
      const store = await openSnapshotStore(options.store);
      const names = options.name ? [options.name] : await store.names();
      const rows: { name: string; id: string; action: 'keep' | 'delete'; reason: string }[] = [];
      for (const name of names) {
        const snapshots = await store.list(name);
        const complete = snapshots.filter((s) => s.manifest !== null);
        const decisions = applyRetention(
          complete.map((s) => ({ id: s.id, createdAt: s.manifest!.createdAt })),
          policy,
          await store.latest(name),
        );
        for (const d of decisions)
          rows.push({ name, id: d.id, action: d.keep ? 'keep' : 'delete', reason: d.reasons.join(', ') });
        for (const s of snapshots.filter((s) => s.status === 'incomplete' && !s.inProgress)) {
          rows.push({ name, id: s.id, action: 'delete', reason: 'abandoned (incomplete)' });
        }
      }
      if (!options.dryRun) {
        for (const row of rows.filter((r) => r.action === 'delete')) await store.delete(row.name, row.id);
      }
      ctx.output.result({ dryRun: Boolean(options.dryRun), policy, snapshots: rows });
      const verb = options.dryRun ? 'would delete' : 'deleted';
      ctx.output.line(
        table(
          ['name', 'id', 'action', 'why kept'],
          rows.map((r) => [r.name, r.id, r.action === 'keep' ? 'keep' : verb, r.reason]),
        ),
      );
      ctx.output.line(
        `${verb} ${rows.filter((r) => r.action === 'delete').length}, kept ${rows.filter((r) => r.action === 'keep').length}`,
      );
    });
}

function parsePolicy(options: PruneOptions): RetentionPolicy {
  const n = (flag: string, value: string | undefined): number | undefined => {
    if (value === undefined) return undefined;
    if (!/^\d+$/.test(value))
      throw new UsageError('CONFIG_BAD_OPTION', `${flag} takes a whole number, got ${value}`);
    return Number(value);
  };
  const policy: RetentionPolicy = {
    last: n('--keep-last', options.keepLast),
    daily: n('--keep-daily', options.keepDaily),
    weekly: n('--keep-weekly', options.keepWeekly),
    monthly: n('--keep-monthly', options.keepMonthly),
  };
  if (Object.values(policy).every((v) => v === undefined)) {
    throw new UsageError('CONFIG_BAD_OPTION', 'prune needs a retention policy', {
      hint: 'e.g. --keep-daily 7 --keep-weekly 4 (seed policy), or --keep-last 10',
    });
  }
  return policy;
}
