import { formatNamespace, type Namespace } from '../core/namespace.js';
import { ARCHIVE_MAGIC } from './archive-constants.js';
import { archiveFailure, HINT_DAMAGED } from './archive-failure.js';
import { decodeArchiveHeader } from './archive-header.js';
import { ChunkReader } from './chunk-reader.js';
import { Crc64, crc64Hex } from './crc64.js';
import { dataNamespaceOf } from './data-namespace.js';
import { readFrame } from './document-frame.js';
import type { CollectionEntry, DumpEvent } from '../core/dump-event.js';
import { detectGzip } from './gunzip-detect.js';
import { decodeNamespaceHeader } from './namespace-header.js';
import { objcheckDocument } from './objcheck.js';
import { decodePreludeEntry } from './prelude-entry.js';

export interface ReadArchiveOptions {
  /**
   * Check each namespace's CRC-64 against its EOF header (default true). With false, the reader does
   * not compute CRCs at all; `end.crc64` still carries the header's value so the caller can compare.
   */
  readonly verifyCrc?: boolean;
  /** Names the input in errors (`file` subject), e.g. the archive's path or "-" for stdin. */
  readonly label?: string;
  /**
   * Check every document's BSON structure before yielding it (default true; see bson-structure.ts):
   * a malformed document is an `ARCHIVE_BAD_DOCUMENT` naming its namespace, offset and position.
   */
  readonly objcheck?: boolean;
}

interface NamespaceState {
  readonly namespace: Namespace;
  readonly name: string;
  status: 'unopened' | 'open' | 'closed';
  readonly crc: Crc64 | undefined;
  /** Documents read so far. */
  documents: number;
}

/**
 * Read a mongodump archive (`mongodump --archive`, optionally `--gzip`, auto-detected by the 1F 8B
 * magic) as a {@link DumpEventStream}: one `prelude`, then `document` events in archive order
 * (namespaces may interleave) and one `end` per namespace (the mongodump archive format, mongo-tools
 * `common/archive`; see docs/archive-format.md).
 *
 * Streaming: bytes are pulled from `source` only as events are consumed, so backpressure reaches the
 * file or socket; memory is bounded by one document (≤ 16 MiB) plus one source chunk. Document bytes
 * may be views into the source chunk: copy them if you keep many.
 *
 * Validation (every error is an `ArchiveError`, exit code 4, naming `namespace` and/or `offset`, the
 * byte offset in the uncompressed stream):
 * - magic 6D E2 99 81 (`ARCHIVE_BAD_MAGIC`); header version "0.1" and field types (`ARCHIVE_BAD_HEADER`);
 * - prelude entries: string `db`/`collection`/`metadata`, int32 or int64 `size`, `type` optional, no
 *   duplicates, metadata parses as Extended JSON (`ARCHIVE_BAD_HEADER`, `ARCHIVE_BAD_METADATA`);
 * - every frame: length in 5..16 MiB or TERM (`ARCHIVE_BAD_LENGTH`), trailing 0x00 (`ARCHIVE_BAD_DOCUMENT`),
 *   no end of stream inside a block (`ARCHIVE_TRUNCATED`), no TERM where a header is due (`ARCHIVE_BAD_HEADER`);
 * - every document's BSON structure unless `objcheck: false` (`ARCHIVE_BAD_DOCUMENT`, with the
 *   namespace, the offset of the fault and the document's position; see bson-structure.ts);
 * - namespace headers strict (100.14 rules, `ARCHIVE_BAD_HEADER`); namespace listed in the prelude
 *   (`ARCHIVE_UNKNOWN_NAMESPACE`); never reopened after EOF (`ARCHIVE_NAMESPACE_REOPENED`); no documents
 *   after an EOF header (`ARCHIVE_BAD_HEADER`); CRC matches (`ARCHIVE_CRC_MISMATCH`); every prelude
 *   namespace ended (`ARCHIVE_NOT_CLOSED`).
 *
 * Accepted: empty segments, interleaving, a missing `type` (tools older than ~100.3), int32/int64 `size`.
 *
 * @param options `verifyCrc` (default true) checks each namespace's CRC-64; `label` names the source in
 *   error subjects
 * @throws (while iterating) ArchiveError with one of the codes above; `ARCHIVE_BAD_GZIP` for a corrupt
 *   gzip stream; the source's own errors as they are
 */
export async function* readArchive(
  source: AsyncIterable<Uint8Array>,
  options: ReadArchiveOptions = {},
): AsyncGenerator<DumpEvent, void, undefined> {
  const verifyCrc = options.verifyCrc ?? true;
  const objcheck = options.objcheck ?? true;
  const file = options.label;
  const where = file === undefined ? {} : { file };
  const decoded = await detectGzip(source, file);
  const reader = new ChunkReader(decoded.chunks);
  try {
    const have = await reader.ensure(4);
    if (have === 0)
      throw archiveFailure(
        'ARCHIVE_TRUNCATED',
        'the archive is empty',
        { ...where, offset: 0 },
        HINT_DAMAGED,
      );
    const magic = reader.take(Math.min(have, 4));
    if (magic.length < 4 || ARCHIVE_MAGIC.some((b, i) => magic[i] !== b))
      throw archiveFailure(
        magic.length < 4 ? 'ARCHIVE_TRUNCATED' : 'ARCHIVE_BAD_MAGIC',
        `the stream does not start with the mongodump archive magic 6D E2 99 81 (got ${Buffer.from(magic).toString('hex')})`,
        { ...where, offset: 0 },
        'pass a file written by `mongodump --archive` (optionally --gzip) or a dump directory',
      );

    const headerFrame = await readFrame(reader, where);
    if (headerFrame.kind !== 'document')
      throw archiveFailure(
        headerFrame.kind === 'end' ? 'ARCHIVE_TRUNCATED' : 'ARCHIVE_BAD_HEADER',
        headerFrame.kind === 'end'
          ? 'the archive ends after its magic'
          : 'a terminator where the archive header is due',
        { ...where, offset: headerFrame.offset },
        HINT_DAMAGED,
      );
    const header = decodeArchiveHeader(headerFrame.bytes, headerFrame.offset);

    const collections: CollectionEntry[] = [];
    const states = new Map<string, NamespaceState>();
    for (;;) {
      const frame = await readFrame(reader, where);
      if (frame.kind === 'terminator') break;
      if (frame.kind === 'end')
        throw archiveFailure(
          'ARCHIVE_TRUNCATED',
          'the archive ends inside its prelude',
          { ...where, offset: frame.offset },
          HINT_DAMAGED,
        );
      const entry = decodePreludeEntry(frame.bytes, frame.offset);
      const data = dataNamespaceOf(entry);
      const name = formatNamespace(data);
      if (states.has(name))
        throw archiveFailure(
          'ARCHIVE_BAD_HEADER',
          `the prelude lists ${name} twice`,
          { ...where, namespace: name, offset: frame.offset },
          HINT_DAMAGED,
        );
      states.set(name, {
        namespace: data,
        name,
        status: 'unopened',
        crc: verifyCrc ? new Crc64() : undefined,
        documents: 0,
      });
      collections.push(entry);
    }
    yield {
      type: 'prelude',
      serverVersion: header.serverVersion,
      toolVersion: header.toolVersion,
      concurrentCollections: header.concurrentCollections,
      collections,
    };

    for (;;) {
      const frame = await readFrame(reader, where);
      if (frame.kind === 'end') break;
      if (frame.kind === 'terminator')
        throw archiveFailure(
          'ARCHIVE_BAD_HEADER',
          'consecutive terminators: a block has no namespace header',
          { ...where, offset: frame.offset },
          HINT_DAMAGED,
        );
      const ns = decodeNamespaceHeader(frame.bytes, frame.offset);
      const name = formatNamespace(ns);
      const state = states.get(name);
      const subject = { ...where, namespace: name, offset: frame.offset };
      if (!state)
        throw archiveFailure(
          'ARCHIVE_UNKNOWN_NAMESPACE',
          `data for ${name}, which the prelude does not list`,
          subject,
          HINT_DAMAGED,
        );
      if (state.status === 'closed')
        throw archiveFailure(
          'ARCHIVE_NAMESPACE_REOPENED',
          `a namespace header for ${name} after its EOF header`,
          subject,
          HINT_DAMAGED,
        );
      if (ns.eof) {
        if (state.crc) {
          const computed = state.crc.digest();
          if (computed !== ns.crc)
            throw archiveFailure(
              'ARCHIVE_CRC_MISMATCH',
              `CRC mismatch for ${name}: the documents hash to ${crc64Hex(computed)}, the EOF header says ${crc64Hex(ns.crc)}`,
              subject,
              HINT_DAMAGED,
            );
        }
        state.status = 'closed';
        const after = await readFrame(reader, { ...where, namespace: name });
        if (after.kind === 'end')
          throw archiveFailure(
            'ARCHIVE_TRUNCATED',
            `the archive ends after the EOF header of ${name}, before its terminator`,
            { ...where, namespace: name, offset: after.offset },
            HINT_DAMAGED,
          );
        if (after.kind === 'document')
          throw archiveFailure(
            'ARCHIVE_BAD_HEADER',
            `collection data after the EOF header of ${name}`,
            { ...where, namespace: name, offset: after.offset },
            HINT_DAMAGED,
          );
        yield { type: 'end', namespace: state.namespace, crc64: ns.crc };
        continue;
      }
      state.status = 'open';
      for (;;) {
        const body = await readFrame(reader, { ...where, namespace: name });
        if (body.kind === 'terminator') break;
        if (body.kind === 'end')
          throw archiveFailure(
            'ARCHIVE_TRUNCATED',
            `the archive ends inside a segment of ${name}`,
            { ...where, namespace: name, offset: body.offset },
            HINT_DAMAGED,
          );
        state.documents++;
        if (objcheck)
          objcheckDocument(body.bytes, {
            namespace: name,
            ...where,
            offset: body.offset,
            position: state.documents,
          });
        state.crc?.update(body.bytes);
        yield { type: 'document', namespace: state.namespace, bson: body.bytes };
      }
    }
    const unclosed = [...states.values()].filter((s) => s.status !== 'closed').map((s) => s.name);
    if (unclosed.length > 0)
      throw archiveFailure(
        'ARCHIVE_NOT_CLOSED',
        `the archive ends before ${unclosed.length === 1 ? 'namespace' : 'namespaces'} ${unclosed.join(', ')} ${unclosed.length === 1 ? 'was' : 'were'} closed by an EOF header`,
        { ...where, namespace: unclosed[0], offset: reader.offset },
        HINT_DAMAGED,
      );
  } finally {
    await reader.close();
  }
}
