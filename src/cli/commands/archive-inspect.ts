import type { Command } from 'commander';
import { ArchiveError } from '../../errors/index.js';
import { decryptionKeys } from '../../pipeline/decryption-keys.js';
import { inspectDump, type InspectReport } from '../../pipeline/inspect-dump.js';
import { addIdentityOption, addObjcheckOption } from '../option-groups.js';
import type { CommandContext } from '../context.js';
import { table } from '../output.js';

/**
 * `dbfork archive inspect <path|->`: read a whole dump, validating it, and list its namespaces with
 * counts, sizes, indexes and CRC status. Exits 4 (archive error) on any corruption, after listing what
 * it could when only CRCs mismatch.
 */
export function define(command: Command, context: () => CommandContext): void {
  command.argument('<path>', 'archive file, dump folder, or - for an archive on stdin');
  addIdentityOption(addObjcheckOption(command)).action(
    async (path: string, options: { identity?: string; objcheck?: boolean }) => {
      const ctx = context();
      const report = await inspectDump(path, await decryptionKeys(options.identity), {
        objcheck: options.objcheck !== false,
      });
      ctx.output.result(report);
      printReport(ctx, report);
      const bad = report.collections.filter((c) => c.crc === 'mismatch');
      if (bad[0])
        throw new ArchiveError(
          'ARCHIVE_CRC_MISMATCH',
          `CRC mismatch for ${bad.map((c) => c.namespace).join(', ')}`,
          {
            subject: { namespace: bad[0].namespace, file: path },
            hint: 'the dump is damaged: take it again or use another copy',
          },
        );
    },
  );
}

function printReport(ctx: CommandContext, report: InspectReport): void {
  const out = ctx.output;
  const layers = [report.gzip ? 'gzip' : '', report.encrypted ? 'age-encrypted' : ''].filter(Boolean);
  const kind =
    report.format === 'archive'
      ? `archive${layers.length ? ` (${layers.join(', ')})` : ''}`
      : 'directory dump';
  out.line(`dump         ${report.path} (${kind})`);
  out.line(`server       ${report.serverVersion || 'unknown'}`);
  out.line(`tool         ${report.toolVersion || 'unknown'}`);
  if (report.format === 'archive') out.line(`concurrency  ${report.concurrentCollections} collections`);
  out.line('');
  out.line(
    table(
      ['namespace', 'type', 'documents', 'bytes', 'crc64', 'crc'],
      report.collections.map((c) => [
        c.namespace,
        c.type || '-',
        c.documents,
        c.bytes,
        c.crc64 ?? '-',
        c.crc,
      ]),
    ),
  );
  const withIndexes = report.collections.filter((c) => c.indexes.length > 0);
  if (withIndexes.length > 0) {
    out.line('');
    out.line('indexes');
    for (const c of withIndexes) {
      out.line(`  ${c.namespace}`);
      for (const ix of c.indexes) out.line(`    ${ix.name.padEnd(24)} ${JSON.stringify(ix.key)}`);
    }
  }
  out.line('');
  const total = report.collections.reduce((n, c) => n + c.documents, 0);
  out.line(
    `${report.collections.length} namespace${report.collections.length === 1 ? '' : 's'}, ${total} document${total === 1 ? '' : 's'}: ${report.ok ? 'ok' : 'CRC MISMATCH'}`,
  );
}
