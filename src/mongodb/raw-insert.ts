import { createRequire } from 'node:module';
import type { Collection, Document } from 'mongodb';

/**
 * Raw BSON inserts: send the dump's document bytes to the server as they are, with no decode and
 * re-encode in between (50k documents into FerretDB: client CPU 1.3 s → 0.5 s, peak RSS 190 → 128 MiB,
 * wall time 13 % lower; docs/restore.md "Performance").
 *
 * The `mongodb` driver (7.x) has no public API for pre-serialized documents, but its own bulk writes
 * pass bytes they serialized earlier to the internal `InsertOperation` (4th argument), which sends them
 * as an OP_MSG document sequence. This module uses that internal path, with the driver's own
 * `executeOperation` (sessions, server selection, retryable writes), and only when:
 * - the internals are there with the expected shape (checked once at load), and
 * - `DBFORK_RAW_INSERTS` is not `off`.
 * Otherwise, and for any batch it declines, the caller decodes the batch and uses `insertMany`.
 */
interface DriverInternals {
  readonly InsertOperation: new (
    ns: unknown,
    documents: readonly Document[],
    options: Document,
    serialized: readonly Uint8Array[],
  ) => unknown;
  readonly executeOperation: (client: unknown, operation: unknown) => Promise<Document>;
  readonly MongoDBNamespace: { fromString(ns: string): unknown };
  readonly resolveOptions: (parent: unknown, options: Document) => Document;
}

/** The server limits a raw batch stays under (MongoDB's defaults; FerretDB's are the same or larger). */
const MAX_RAW_DOCUMENTS = 100_000;
/** Below `maxMessageSizeBytes` (48 000 000) with room for the command and headers. */
const MAX_RAW_BYTES = 40_000_000;
/** `_id` as the first element of a BSON document (any type): 4-byte length, type byte, then "_id\0". */
const ID_NAME = [0x5f, 0x69, 0x64, 0x00];
const PLACEHOLDER: Document = Object.freeze({});

let internals: DriverInternals | null | undefined;

function load(): DriverInternals | null {
  if (internals !== undefined) return internals;
  internals = null;
  if (process.env.DBFORK_RAW_INSERTS === 'off') return null;
  try {
    const require = createRequire(import.meta.url);
    const insert = require('mongodb/lib/operations/insert.js') as Record<string, unknown>;
    const execute = require('mongodb/lib/operations/execute_operation.js') as Record<string, unknown>;
    const utils = require('mongodb/lib/utils.js') as Record<string, unknown>;
    const ns = utils.MongoDBNamespace as { fromString?: unknown } | undefined;
    if (
      typeof insert.InsertOperation === 'function' &&
      insert.InsertOperation.length === 4 &&
      typeof execute.executeOperation === 'function' &&
      typeof utils.resolveOptions === 'function' &&
      typeof ns?.fromString === 'function'
    ) {
      internals = {
        InsertOperation: insert.InsertOperation as DriverInternals['InsertOperation'],
        executeOperation: execute.executeOperation as DriverInternals['executeOperation'],
        MongoDBNamespace: ns as DriverInternals['MongoDBNamespace'],
        resolveOptions: utils.resolveOptions as DriverInternals['resolveOptions'],
      };
    }
  } catch {
    internals = null;
  }
  return internals;
}

/**
 * Give up on raw inserts for the rest of the process (the driver's internals misbehaved). Each later
 * batch takes the decode + `insertMany` path.
 */
export function disableRawInserts(): void {
  internals = null;
}

/**
 * Whether a batch can go raw: the internals are there, it fits the server limits, and every document
 * starts with `_id` (so a retried batch carries the same `_id`s: the server would give documents
 * without one a new `_id` on each attempt; mongod puts `_id` first, so dumps have it there).
 */
export function canSendRaw(batch: readonly Uint8Array[], bytes: number): boolean {
  if (load() === null || batch.length === 0 || batch.length > MAX_RAW_DOCUMENTS || bytes > MAX_RAW_BYTES)
    return false;
  for (const doc of batch) {
    if (doc[5] !== ID_NAME[0] || doc[6] !== ID_NAME[1] || doc[7] !== ID_NAME[2] || doc[8] !== ID_NAME[3])
      return false;
  }
  return true;
}

/** The server's answer to one raw insert (ok: 1). */
export interface RawInsertReply {
  /** Documents inserted. */
  readonly n: number;
  readonly writeErrors: readonly { readonly code: number; readonly errmsg: string }[];
  readonly writeConcernError: string | null;
}

/**
 * Insert a batch of raw BSON documents, unordered, with validation bypassed, through the driver's
 * internal `InsertOperation`. Command errors (ok: 0, network) are thrown by the driver as usual; write
 * errors come back in the reply. Call only after {@link canSendRaw}.
 */
export async function insertRaw(
  collection: Collection,
  batch: readonly Uint8Array[],
): Promise<RawInsertReply> {
  const d = load();
  if (d === null) throw new Error('raw inserts are not available');
  const options = d.resolveOptions(collection, {
    ordered: false,
    bypassDocumentValidation: true,
    checkKeys: false,
  });
  const operation = new d.InsertOperation(
    d.MongoDBNamespace.fromString(collection.namespace),
    new Array<Document>(batch.length).fill(PLACEHOLDER),
    options,
    batch.map((b) => (Buffer.isBuffer(b) ? b : Buffer.from(b.buffer, b.byteOffset, b.byteLength))),
  );
  // Collection#client is internal too (the Db's client)
  const client = (collection as unknown as { readonly client?: unknown }).client;
  if (client === undefined) throw new Error('the collection has no client');
  const reply = await d.executeOperation(client, operation);
  const n = Number(reply.n);
  if (!Number.isSafeInteger(n)) throw new Error(`the insert reply has no count: ${JSON.stringify(reply)}`);
  const writeErrors = Array.isArray(reply.writeErrors)
    ? (reply.writeErrors as Document[]).map((e) => ({ code: Number(e.code), errmsg: String(e.errmsg) }))
    : [];
  const wce = reply.writeConcernError as Document | undefined;
  return { n, writeErrors, writeConcernError: wce ? String(wce.errmsg ?? JSON.stringify(wce)) : null };
}
