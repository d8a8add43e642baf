import type { Command } from 'commander';
import { openSnapshotStore } from '../../store/open-snapshot-store.js';
import { parseSnapshotRef } from '../../store/snapshot-ref.js';
import type { CommandContext } from '../context.js';
import { encryptionOf } from '../encryption-summary.js';
import { storeOption } from '../option-groups.js';
import { table } from '../output.js';
import { formatBytes } from '../progress-view.js';

/** `dbfork snapshot show <name[@id]>`: the manifest. */
export function define(command: Command, context: () => CommandContext): void {
  command
    .addOption(storeOption())
    .argument('<ref>', 'snapshot: <name>, <name>@latest, <name>@<id> or <name>@<YYYY-MM-DD> (UTC day)')
    .action(async (ref: string, options: { store?: string }) => {
      const ctx = context();
      const { manifest } = await (await openSnapshotStore(options.store)).resolve(parseSnapshotRef(ref));
      ctx.output.result(manifest);
      ctx.output.line(`snapshot     ${manifest.name}@${manifest.id}`);
      ctx.output.line(`created      ${manifest.createdAt} (${manifest.durationMs} ms)`);
      ctx.output.line(
        `source       ${manifest.source.uri} db ${manifest.source.db} (server ${manifest.source.serverVersion})`,
      );
      ctx.output.line(
        `format       ${manifest.format}${manifest.gzip ? ' (gzip)' : ''}, ${formatBytes(manifest.sizeBytes)}`,
      );
      ctx.output.line(
        `anonymized   ${manifest.anonymized ? `yes, rules ${manifest.rulesDigest ?? ''}` : 'NO (raw data)'}`,
      );
      ctx.output.line(`encrypted    ${encryptionOf(manifest)}`);
      ctx.output.line(`tool         dbfork ${manifest.toolVersion}`);
      ctx.output.line('');
      ctx.output.line(
        table(
          ['namespace', 'documents', 'bytes', 'indexes', 'crc64', 'sha256'],
          manifest.collections.map((c) => [
            c.namespace,
            c.documents,
            c.bytes,
            c.indexes.map((i) => String(i.name)).join(','),
            c.crc64 ?? '-',
            c.sha256 ? c.sha256.slice(0, 16) + '…' : '-',
          ]),
        ),
      );
    });
}
