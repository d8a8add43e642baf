import type { Document, MongoClient } from 'mongodb';

/**
 * The seam through which server probes talk to a server: run one command against one database.
 * The real implementation wraps a driver client; tests can wrap it to answer as a server FerretDB
 * cannot imitate (MongoDB with `$out`, `fsyncLock`, roles), which proves detection is by answers.
 */
export type CommandRunner = (db: string, command: Document) => Promise<Document>;

/** A {@link CommandRunner} over a connected driver client. */
export function clientCommandRunner(client: MongoClient): CommandRunner {
  return (db, command) => client.db(db).command(command);
}

/** Server error shape the probes look at: the driver's MongoServerError has `code` and `codeName`. */
export interface ServerErrorLike {
  readonly code?: number | string;
  readonly codeName?: string;
  readonly message: string;
}

export function asServerError(error: unknown): ServerErrorLike {
  if (error && typeof error === 'object' && 'message' in error) return error as ServerErrorLike;
  return { message: String(error) };
}

/**
 * A {@link CommandRunner} whose replies keep every BSON type (Int32, Double, Long, Binary stay
 * classes), so documents read through commands re-encode to the bytes the server sent.
 */
export function losslessCommandRunner(client: MongoClient): CommandRunner {
  return (db, command) =>
    client.db(db).command(command, {
      promoteValues: false,
      promoteLongs: false,
      promoteBuffers: false,
      bsonRegExp: true,
    });
}
