import type { Command } from 'commander';
import { parseDuration } from '../../core/duration.js';
import { shareSnapshot } from '../../pipeline/share-snapshot.js';
import { parseSnapshotRef } from '../../store/snapshot-ref.js';
import type { CommandContext } from '../context.js';
import { storeOption } from '../option-groups.js';

/**
 * `dbfork snapshot share <ref> --expires 1h`: print signed GET URLs (S3 presigned, GCS V4 signed)
 * for the manifest and every data object of a complete snapshot. Read-only; nothing is made public.
 */
export function define(command: Command, context: () => CommandContext): void {
  command
    .addOption(storeOption('object store URL (s3:// or gs://)'))
    .argument('<ref>', 'snapshot: <name>@latest or <name>@<id>')
    .option('--expires <duration>', 'how long the URLs work: 30m, 1h, 2d (at most 7d)', '1h')
    .action(async (ref: string, options: { store?: string; expires: string }) => {
      const ctx = context();
      const ms = parseDuration(options.expires, '--expires');
      const share = await shareSnapshot(options.store, parseSnapshotRef(ref), Math.ceil(ms / 1000));
      ctx.output.result(share);
      ctx.output.line(
        `# ${share.snapshot}: ${share.objects.length} object(s), URLs valid until ${share.expiresAt}`,
      );
      for (const o of share.objects) ctx.output.line(`${o.key}\t${o.url}`);
      if (share.objects.some((o) => /X-Amz-Security-Token=/.test(o.url)))
        ctx.logger.warn('signed with temporary credentials: the URLs stop working when that session ends');
    });
}
