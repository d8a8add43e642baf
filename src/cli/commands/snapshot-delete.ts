import type { Command } from 'commander';
import { UsageError } from '../../errors/index.js';
import { deleteSnapshot } from '../../pipeline/delete-snapshot.js';
import { parseSnapshotRef } from '../../store/snapshot-ref.js';
import type { CommandContext } from '../context.js';
import { storeOption } from '../option-groups.js';

/** `dbfork snapshot delete <name@id>`: remove one snapshot; `latest` moves to the previous complete one. */
export function define(command: Command, context: () => CommandContext): void {
  command
    .addOption(storeOption())
    .argument('<ref>', 'snapshot: <name>@<id>, <name>@latest or <name>@<YYYY-MM-DD>')
    .option('--dry-run', 'say what would be deleted, delete nothing')
    .action(async (refText: string, options: { dryRun?: boolean; store?: string }) => {
      const ctx = context();
      const ref = parseSnapshotRef(refText);
      if (!refText.includes('@')) {
        throw new UsageError('SNAPSHOT_BAD_REF', `delete needs an explicit id: ${refText}`, {
          hint: `use ${refText}@<id> or ${refText}@latest (see \`dbfork snapshot list --name ${refText}\`)`,
        });
      }
      const dryRun = Boolean(options.dryRun);
      const deleted = await deleteSnapshot(options.store, ref, { dryRun });
      ctx.output.result({ deleted, dryRun });
      ctx.output.line(`${dryRun ? 'would delete' : 'deleted'} ${deleted}`);
    });
}
