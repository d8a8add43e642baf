import { open } from 'node:fs/promises';
import { EJSON, type Document } from 'bson';
import type { Command } from 'commander';
import { Crc64, crc64Hex } from '../../archive/crc64.js';
import { parseCollectionMetadata } from '../../archive/collection-metadata.js';
import { dataNamespaceOf } from '../../archive/data-namespace.js';
import type { DumpPrelude } from '../../core/dump-event.js';
import { openDumpReader, type DumpFormat } from '../../archive/open-dump.js';
import { formatNamespace } from '../../core/namespace.js';
import { ArchiveError } from '../../errors/index.js';
import type { CommandContext } from '../context.js';
import { table } from '../output.js';

/** One namespace of an inspected dump. Sizes in bytes. */
export interface InspectedCollection {
  readonly namespace: string;
  readonly type: string;
  readonly documents: number;
  readonly bytes: number;
  readonly indexes: { name: string; key: Document }[];
  /** CRC-64 from the archive's EOF header (16 hex digits); null for directories. */
  readonly crc64: string | null;
  readonly crc: 'ok' | 'mismatch' | 'n/a';
}

/** What `dbfork archive inspect` reports. */
export interface InspectReport {
  readonly path: string;
  readonly format: DumpFormat;
  /** True when the archive file is gzipped; null when unknown (stdin) or a directory. */
  readonly gzip: boolean | null;
  readonly serverVersion: string;
  readonly toolVersion: string;
  readonly concurrentCollections: number;
  readonly collections: InspectedCollection[];
  readonly ok: boolean;
}

interface Tally {
  documents: number;
  bytes: number;
  crc: Crc64;
  headerCrc?: bigint;
  ended: boolean;
}

/**
 * `dbfork archive inspect <path|->`: read a whole dump (archive, gzipped archive, directory or stdin),
 * validating it, and list its namespaces with counts, sizes, indexes and CRC status. Exits 4 (archive
 * error) on any corruption, after listing what it could when only CRCs mismatch.
 */
export function registerArchive(program: Command, context: () => CommandContext): void {
  const group = program.command('archive').description('mongodump-compatible archives and dump folders');
  group
    .command('inspect')
    .description(
      'read and validate a mongodump archive (plain or gzip), a dump folder or - (stdin): namespaces, documents, indexes, CRCs',
    )
    .argument('<path>', 'archive file, dump folder, or - for an archive on stdin')
    .action(async (path: string) => {
      const ctx = context();
      const report = await inspectDump(path);
      ctx.output.result(report);
      printReport(ctx, report);
      const bad = report.collections.find((c) => c.crc === 'mismatch');
      if (bad)
        throw new ArchiveError(
          'ARCHIVE_CRC_MISMATCH',
          `CRC mismatch for ${report.collections
            .filter((c) => c.crc === 'mismatch')
            .map((c) => c.namespace)
            .join(', ')}`,
          {
            subject: { namespace: bad.namespace, file: path },
            hint: 'the dump is damaged: take it again or use another copy',
          },
        );
    });
}

/**
 * Read a dump completely and report on it. CRCs are recomputed here and compared with each EOF header,
 * so every mismatching namespace is listed rather than only the first.
 * @throws ArchiveError for structural damage (see readArchive / readDirectory); UsageError DUMP_NOT_FOUND
 */
export async function inspectDump(path: string): Promise<InspectReport> {
  const reader = await openDumpReader(path, { verifyCrc: false });
  let prelude: DumpPrelude | undefined;
  const tallies = new Map<string, Tally>();
  for await (const event of reader.events) {
    if (event.type === 'prelude') {
      prelude = event;
      for (const entry of event.collections)
        tallies.set(formatNamespace(dataNamespaceOf(entry)), {
          documents: 0,
          bytes: 0,
          crc: new Crc64(),
          ended: false,
        });
      continue;
    }
    const tally = tallies.get(formatNamespace(event.namespace));
    if (!tally) continue; // the reader rejects unknown namespaces before this
    if (event.type === 'document') {
      tally.documents++;
      tally.bytes += event.bson.length;
      tally.crc.update(event.bson);
    } else {
      tally.ended = true;
      if (event.crc64 !== undefined) tally.headerCrc = event.crc64;
    }
  }
  if (!prelude)
    throw new ArchiveError('ARCHIVE_TRUNCATED', 'the dump has no prelude', { subject: { file: path } });
  const collections = prelude.collections.map((entry): InspectedCollection => {
    const namespace = formatNamespace(dataNamespaceOf(entry));
    const tally = tallies.get(namespace) as Tally;
    const meta =
      entry.metadataJson === '' ? undefined : parseCollectionMetadata(entry.metadataJson, { namespace });
    return {
      namespace,
      type: entry.collectionType || meta?.collectionType || '',
      documents: tally.documents,
      bytes: tally.bytes,
      indexes: (meta?.indexes ?? []).map((ix) => ({
        name: String(ix.name),
        key: EJSON.serialize((ix.key ?? {}) as Document, { relaxed: true }) as Document,
      })),
      crc64: tally.headerCrc === undefined ? null : crc64Hex(tally.headerCrc),
      crc: tally.headerCrc === undefined ? 'n/a' : tally.headerCrc === tally.crc.digest() ? 'ok' : 'mismatch',
    };
  });
  return {
    path,
    format: reader.format,
    gzip: reader.format === 'archive' && path !== '-' ? await isGzipFile(path) : null,
    serverVersion: prelude.serverVersion,
    toolVersion: prelude.toolVersion,
    concurrentCollections: prelude.concurrentCollections,
    collections,
    ok: collections.every((c) => c.crc !== 'mismatch'),
  };
}

async function isGzipFile(path: string): Promise<boolean> {
  const handle = await open(path, 'r');
  try {
    const head = Buffer.alloc(2);
    const { bytesRead } = await handle.read(head, 0, 2, 0);
    return bytesRead === 2 && head[0] === 0x1f && head[1] === 0x8b;
  } finally {
    await handle.close();
  }
}

function printReport(ctx: CommandContext, report: InspectReport): void {
  const out = ctx.output;
  const kind = report.format === 'archive' ? `archive${report.gzip ? ' (gzip)' : ''}` : 'directory dump';
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
