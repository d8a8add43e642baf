import type { Command } from 'commander';
import { openSnapshotStore } from '../../store/open-snapshot-store.js';
import type { CommandContext } from '../context.js';
import { storeOption } from '../option-groups.js';
import { table } from '../output.js';
import { formatBytes } from '../progress-view.js';

/** `dbfork snapshot list [--name]`: complete and incomplete snapshots, newest first. */
export function define(command: Command, context: () => CommandContext): void {
  command
    .addOption(storeOption())
    .option('--name <name>', 'only snapshots of this name')
    .action(async (options: { name?: string; store?: string }) => {
      const ctx = context();
      const snapshots = await (await openSnapshotStore(options.store)).list(options.name);
      ctx.output.result(
        snapshots.map((s) => ({
          name: s.name,
          id: s.id,
          status: s.status,
          inProgress: s.inProgress,
          latest: s.isLatest,
          createdAt: s.manifest?.createdAt ?? null,
          sizeBytes: s.manifest?.sizeBytes ?? null,
          anonymized: s.manifest?.anonymized ?? null,
          encrypted: s.manifest ? s.manifest.codecs.includes('age') : null,
          recipients: s.manifest?.encryption?.recipients ?? null,
        })),
      );
      if (snapshots.length === 0) return ctx.output.line('no snapshots');
      ctx.output.line(
        table(
          ['name', 'id', 'status', 'created', 'size', 'collections', 'anonymized', 'encrypted'],
          snapshots.map((s) => [
            s.name,
            s.id + (s.isLatest ? ' (latest)' : ''),
            s.status === 'complete' ? 'complete' : s.inProgress ? 'in progress' : 'incomplete',
            s.manifest?.createdAt ?? '-',
            s.manifest ? formatBytes(s.manifest.sizeBytes) : '-',
            s.manifest ? String(s.manifest.collections.length) : '-',
            s.manifest ? (s.manifest.anonymized ? 'yes' : 'NO') : '-',
            s.manifest ? (s.manifest.codecs.includes('age') ? 'age' : 'no') : '-',
          ]),
        ),
      );
    });
}
