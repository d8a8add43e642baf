import { BSON, type Document } from 'mongodb';
import type { CommandRunner } from './command-runner.js';

/**
 * The documents of a `find` run as a command, batch after batch (`getMore` on the reply's cursor,
 * as the server's cursor protocol has it), re-encoded from the lossless reply, so each is the
 * bytes the server stored. `getMore` never repeats the read concern: the cursor keeps the one of
 * its `find` (a server refuses it otherwise). The cursor is killed when the caller stops early.
 *
 * @throws whatever the runner throws (the server's error, e.g. `SnapshotTooOld`)
 */
export async function* commandCursor(
  run: CommandRunner,
  db: string,
  find: Document,
): AsyncGenerator<Uint8Array> {
  const collection = String(find.find);
  let reply = await run(db, find);
  let cursor = reply.cursor as { id: unknown; firstBatch?: Document[]; nextBatch?: Document[] };
  let done = false;
  try {
    for (;;) {
      for (const document of cursor.firstBatch ?? cursor.nextBatch ?? []) yield BSON.serialize(document);
      if (isZero(cursor.id)) break;
      const more: Document = { getMore: cursor.id, collection };
      if (find.batchSize !== undefined) more.batchSize = find.batchSize;
      reply = await run(db, more);
      cursor = reply.cursor as typeof cursor;
    }
    done = true;
  } finally {
    if (!done && !isZero(cursor.id))
      await run(db, { killCursors: collection, cursors: [cursor.id] }).catch(() => undefined);
  }
}

function isZero(id: unknown): boolean {
  if (id === undefined || id === null) return true;
  return Number((id as { valueOf(): unknown }).valueOf()) === 0 || String(id) === '0';
}
