import type { Writable } from 'node:stream';

/** One file of a directory dump being written: write its bytes and end the stream, then await `done`. */
export interface DumpFileUpload {
  readonly stream: Writable;
  /** Settles once the file is stored whole under its name (or failed to be). */
  readonly done: Promise<unknown>;
}

/**
 * Where a directory dump's files go: a local folder, or keys of a snapshot in a store. Paths are
 * relative to the dump and `/`-separated (`prelude.json`, `<db>/<stem>.bson`). A file must appear
 * under its name only once whole: a destroyed stream leaves nothing.
 */
export interface DumpFileTarget {
  create(path: string): DumpFileUpload;
}

/** Where a directory dump is read from: a local folder, or the keys of a snapshot in a store. */
export interface DumpFileSource {
  /** Name of the dump's folder: a dump holding only one database's files is read as that database. */
  readonly name: string;
  /**
   * Paths of the dump's files, relative and `/`-separated: top-level files and `<db>/<file>`.
   * Deeper files may be listed; they are ignored.
   */
  list(): Promise<string[]>;
  /** A file's bytes, pulled with backpressure. */
  open(path: string): Promise<AsyncIterable<Uint8Array>>;
  /** Where a file lives, for error subjects (a path or a URL). */
  locate(path: string): string;
}
