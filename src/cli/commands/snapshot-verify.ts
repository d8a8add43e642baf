import type { Command } from 'commander';
import { EXIT_FINDINGS } from '../../errors/index.js';
import { decryptionKeys } from '../../pipeline/decryption-keys.js';
import { verifySnapshot } from '../../pipeline/verify-snapshot.js';
import { openSnapshotStore } from '../../store/open-snapshot-store.js';
import { parseSnapshotRef } from '../../store/snapshot-ref.js';
import type { CommandContext } from '../context.js';
import { addIdentityOption, addObjcheckOption, storeOption } from '../option-groups.js';
import { table } from '../output.js';

/** `dbfork snapshot verify <ref>`: recompute counts and checksums against the manifest; exit 1 on a mismatch. */
export function define(command: Command, context: () => CommandContext): void {
  command
    .argument('<ref>', 'snapshot: <name>, <name>@latest, <name>@<id> or <name>@<YYYY-MM-DD> (UTC day)')
    .addOption(storeOption());
  addIdentityOption(addObjcheckOption(command)).action(
    async (ref: string, options: { store?: string; identity?: string; objcheck?: boolean }) => {
      const ctx = context();
      const keys = await decryptionKeys(options.identity);
      const result = await verifySnapshot(
        await openSnapshotStore(options.store),
        parseSnapshotRef(ref),
        keys,
        {
          objcheck: options.objcheck !== false,
        },
      );
      ctx.output.result(result);
      if (result.objects.length > 0)
        ctx.output.line(
          table(
            ['stored object', 'bytes', 'expected', 'sha256'],
            result.objects.map((o) => [o.key, o.bytes, o.expectedBytes, o.sha256]),
          ),
        );
      if (!result.plaintextChecked)
        ctx.output.line('encrypted snapshot: ciphertext checked; give --identity to check the documents too');
      else
        ctx.output.line(
          table(
            ['namespace', 'documents', 'expected', 'sha256', 'crc64'],
            result.collections.map((c) => [c.namespace, c.documents, c.expectedDocuments, c.sha256, c.crc64]),
          ),
        );
      for (const ns of result.unexpected) ctx.output.line(`unexpected namespace in the data: ${ns}`);
      ctx.output.line(result.ok ? `${result.snapshot}: ok` : `${result.snapshot}: FAILED`);
      if (!result.ok) process.exitCode = EXIT_FINDINGS;
    },
  );
}
