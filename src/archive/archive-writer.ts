import type { Writable } from 'node:stream';
import { ARCHIVE_FORMAT_VERSION, ARCHIVE_MAGIC, ARCHIVE_TERMINATOR } from './archive-constants.js';
import { archiveFailure } from './archive-failure.js';
import { encodeArchiveHeader } from './archive-header.js';
import { ByteSink } from './byte-sink.js';
import type { DumpRunEventStream } from '../core/dump-event.js';
import { DumpStreamGuard } from './dump-stream-guard.js';
import { encodeNamespaceHeader } from './namespace-header.js';
import type { NamespaceSummary, NamespaceTally } from './namespace-tally.js';
import { encodePreludeEntry } from './prelude-entry.js';

export interface WriteArchiveOptions {
  /** Gzip the whole stream, as `mongodump --archive --gzip` (default false). */
  readonly gzip?: boolean;
  /** `tool_version` to write (default: the prelude event's). */
  readonly toolVersion?: string;
  /**
   * `concurrent_collections` to declare (default: the prelude event's, at least 1). The writer refuses
   * to have more namespaces open (started, not ended) at once, since mongorestore may stall on an
   * archive that interleaves more namespaces than it declares (spec §2).
   */
  readonly concurrentCollections?: number;
}

/** What {@link writeArchive} wrote. */
export interface ArchiveWriteResult {
  /** Bytes written to the output (compressed size when gzipping). */
  readonly bytesWritten: number;
  /** Bytes of the archive before gzip. */
  readonly archiveBytes: number;
  /** One entry per prelude namespace, in prelude order. */
  readonly collections: NamespaceSummary[];
}

/**
 * Write a `DumpEventStream` (or a stream with runs of documents, {@link DumpRunEventStream}:
 * the same bytes as their documents one by one) as a mongodump archive to `output` (which is ended), with
 * backpressure: each write waits for the stream to drain. Byte layout as mongodump's multiplexer
 * (spec §1, §5, mongo-tools `common/archive/multiplexer.go`):
 *
 * - MAGIC, header `{concurrent_collections:int32, version:"0.1", server_version, tool_version}`, one
 *   prelude entry per namespace, TERM;
 * - a segment header `{db, collection, EOF:false, CRC:int64 0}` whenever the document's namespace differs
 *   from the previous one (closing the previous segment with TERM); documents written as given;
 * - on a namespace's end: an empty segment first if it had no documents (mongodump's empty final
 *   buffer), then TERM if a segment is open, the EOF header with the recomputed CRC-64, TERM.
 *
 * Because mongodump only switches segments when the namespace changes, reading a mongodump archive and
 * writing it back gives identical bytes (as long as its prelude has a `type` field: we always write one).
 *
 * @throws ArchiveError from the event checks (see {@link DumpStreamGuard}) and `ARCHIVE_TOO_MANY_OPEN`;
 *   the output stream's own errors (ENOSPC, EPIPE…) as they are. On error the output is destroyed.
 */
export async function writeArchive(
  events: DumpRunEventStream,
  output: Writable,
  options: WriteArchiveOptions = {},
): Promise<ArchiveWriteResult> {
  const sink = new ByteSink(output, { gzip: options.gzip ?? false });
  const guard = new DumpStreamGuard();
  let current: NamespaceTally | undefined;
  const open = new Set<NamespaceTally>();
  let declared = 1;
  try {
    for await (const event of events) {
      const tally = guard.accept(event);
      if (event.type === 'prelude') {
        declared = Math.max(1, options.concurrentCollections ?? event.concurrentCollections);
        await sink.write(ARCHIVE_MAGIC);
        await sink.write(
          encodeArchiveHeader({
            concurrentCollections: declared,
            formatVersion: ARCHIVE_FORMAT_VERSION,
            serverVersion: event.serverVersion,
            toolVersion: options.toolVersion ?? event.toolVersion,
          }),
        );
        for (const entry of event.collections) await sink.write(encodePreludeEntry(entry));
        await sink.write(ARCHIVE_TERMINATOR);
        continue;
      }
      if (!tally) continue;
      if (event.type === 'document' || event.type === 'documents') {
        if (current !== tally) {
          if (current) await sink.write(ARCHIVE_TERMINATOR);
          await sink.write(segmentHeader(tally, false));
          current = tally;
          if (!open.has(tally)) {
            open.add(tally);
            if (open.size > declared)
              throw archiveFailure(
                'ARCHIVE_TOO_MANY_OPEN',
                `${open.size} namespaces are open at once but the archive declares concurrent_collections ${declared}`,
                { namespace: tally.name },
                'raise concurrentCollections (the prelude event or the writer option) to the number of collections captured in parallel',
              );
          }
        }
        if (event.type === 'document') tally.add(event.bson);
        else tally.addRun(event.bson, event.count);
        await sink.write(event.bson);
        continue;
      }
      if (tally.documents === 0) {
        if (current) await sink.write(ARCHIVE_TERMINATOR);
        await sink.write(segmentHeader(tally, false));
        current = tally;
      }
      if (current) await sink.write(ARCHIVE_TERMINATOR);
      await sink.write(segmentHeader(tally, true));
      await sink.write(ARCHIVE_TERMINATOR);
      current = undefined;
      open.delete(tally);
    }
    guard.finish();
    await sink.end();
  } catch (error) {
    sink.destroy(error as Error);
    throw error;
  }
  return {
    bytesWritten: sink.bytesOut,
    archiveBytes: sink.bytesIn,
    collections: guard.tallies.map((t) => t.summary()),
  };
}

function segmentHeader(tally: NamespaceTally, eof: boolean): Uint8Array {
  return encodeNamespaceHeader({
    db: tally.namespace.db,
    collection: tally.namespace.collection,
    eof,
    crc: eof ? tally.crc() : 0n,
  });
}
