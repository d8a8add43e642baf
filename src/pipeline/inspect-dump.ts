import { createReadStream } from 'node:fs';
import { EJSON, type Document } from 'bson';
import { crc64Hex } from '../archive/crc64.js';
import { parseCollectionMetadata } from '../archive/collection-metadata.js';
import { dataNamespaceOf } from '../archive/data-namespace.js';
import { DocumentTally } from '../archive/document-tally.js';
import { detectGzip } from '../archive/gunzip-detect.js';
import { openDumpReader, type DumpFormat } from '../archive/open-dump.js';
import type { CollectionEntry, DumpPrelude } from '../core/dump-event.js';
import { formatNamespace } from '../core/namespace.js';
import { ArchiveError } from '../errors/index.js';
import { GZIP_MAGIC } from '../archive/archive-constants.js';
import { NO_KEYS, type CodecKeys } from '../codec/codec-keys.js';
import { dumpDecrypter } from './decryption-keys.js';

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
  /**
   * True when the archive is gzipped (inside the encryption, for an encrypted one); null when unknown
   * (stdin) or a directory.
   */
  readonly gzip: boolean | null;
  /** True when the archive is age-encrypted (it was decrypted with the identities given). */
  readonly encrypted: boolean;
  readonly serverVersion: string;
  readonly toolVersion: string;
  readonly concurrentCollections: number;
  readonly collections: InspectedCollection[];
  readonly ok: boolean;
}

/**
 * Read a dump completely (archive, gzipped archive, directory or `-` for stdin) and report on it. CRCs
 * are recomputed here and compared with each EOF header, so every mismatching namespace is listed
 * rather than only the first.
 *
 * An age-encrypted archive is decrypted with `keys.identities` as it is read.
 *
 * @throws ArchiveError for structural damage (see readArchive / readDirectory); UsageError DUMP_NOT_FOUND,
 *   `DECRYPTION_IDENTITY_REQUIRED` for an encrypted archive without identities; StoreError
 *   `DECRYPTION_WRONG_IDENTITY` / `DECRYPTION_FAILED` from the decryption
 */
export async function inspectDump(
  path: string,
  keys: CodecKeys = NO_KEYS,
  checks: { readonly objcheck?: boolean } = {},
): Promise<InspectReport> {
  let encrypted = false;
  let innerGzip = false;
  const decrypt = dumpDecrypter(keys);
  const reader = await openDumpReader(path, {
    verifyCrc: false,
    ...(checks.objcheck === false ? { objcheck: false } : {}),
    ...(decrypt && {
      decrypt: (source: AsyncIterable<Uint8Array>, label: string) => {
        encrypted = true;
        return observeFirst(decrypt(source, label), (head) => {
          innerGzip = head[0] === GZIP_MAGIC[0] && head[1] === GZIP_MAGIC[1];
        });
      },
    }),
  });
  let prelude: DumpPrelude | undefined;
  const tallies = new Map<string, DocumentTally>();
  const headerCrcs = new Map<string, bigint>();
  for await (const event of reader.events) {
    if (event.type === 'prelude') {
      prelude = event;
      for (const entry of event.collections)
        tallies.set(formatNamespace(dataNamespaceOf(entry)), new DocumentTally());
    } else if (event.type === 'document') {
      tallies.get(formatNamespace(event.namespace))?.add(event.bson);
    } else if (event.crc64 !== undefined) {
      headerCrcs.set(formatNamespace(event.namespace), event.crc64);
    }
  }
  if (!prelude)
    throw new ArchiveError('ARCHIVE_TRUNCATED', 'the dump has no prelude', { subject: { file: path } });
  const collections = prelude.collections.map((entry) => inspectedCollection(entry, tallies, headerCrcs));
  return {
    path,
    format: reader.format,
    gzip: encrypted ? innerGzip : reader.format === 'archive' && path !== '-' ? await isGzipFile(path) : null,
    encrypted,
    serverVersion: prelude.serverVersion,
    toolVersion: prelude.toolVersion,
    concurrentCollections: prelude.concurrentCollections,
    collections,
    ok: collections.every((c) => c.crc !== 'mismatch'),
  };
}

function inspectedCollection(
  entry: CollectionEntry,
  tallies: ReadonlyMap<string, DocumentTally>,
  headerCrcs: ReadonlyMap<string, bigint>,
): InspectedCollection {
  const namespace = formatNamespace(dataNamespaceOf(entry));
  const tally = tallies.get(namespace) ?? new DocumentTally();
  const header = headerCrcs.get(namespace);
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
    crc64: header === undefined ? null : crc64Hex(header),
    crc: header === undefined ? 'n/a' : crc64Hex(header) === tally.digest().crc64 ? 'ok' : 'mismatch',
  };
}

/** Whether an archive file starts with the gzip magic, by the archive reader's own detection. */
async function isGzipFile(path: string): Promise<boolean> {
  const head = createReadStream(path, { start: 0, end: 1 });
  try {
    return (await detectGzip(head, path)).gzip;
  } finally {
    head.destroy();
  }
}

/** Pass a stream through, showing its first non-empty chunk to `look` (a peek at what was decrypted). */
async function* observeFirst(
  source: AsyncIterable<Uint8Array>,
  look: (head: Uint8Array) => void,
): AsyncGenerator<Uint8Array> {
  let seen = false;
  for await (const chunk of source) {
    if (!seen && chunk.length > 0) {
      seen = true;
      look(chunk);
    }
    yield chunk;
  }
}
