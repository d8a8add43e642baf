import type { Namespace } from '../core/namespace.js';
import { archiveFailure } from './archive-failure.js';
import { collectionFileStem } from './file-name-escape.js';

/** Suffixes of the directory layout (spec §9); `.gz` is appended to each with `--gzip`. */
export const BSON_SUFFIX = '.bson';
export const METADATA_SUFFIX = '.metadata.json';
export const GZ_SUFFIX = '.gz';
export const PRELUDE_FILE = 'prelude.json';

/**
 * Check that a database name can be a folder of a dump without escaping it: not `.`/`..`, no `/`,
 * `\` or NUL (MongoDB forbids these in database names anyway). `""` is allowed: it is the top level
 * (the oplog intent).
 * @throws ArchiveError `ARCHIVE_BAD_NAME`
 */
function assertSafeDbName(db: string): void {
  if (db === '.' || db === '..' || /[/\\\0]/.test(db))
    throw archiveFailure(
      'ARCHIVE_BAD_NAME',
      `database name ${JSON.stringify(db)} cannot be stored as a folder`,
      { namespace: db },
      'database names may not contain / \\ or NUL, nor be . or ..',
    );
}

/** `<db>/<stem><suffix>[.gz]`, or `<stem><suffix>` for db "" (the oplog): relative to the dump, `/`-separated. */
export function dumpFilePath(ns: Namespace, suffix: string, gzip: boolean): string {
  assertSafeDbName(ns.db);
  const name = collectionFileStem(ns.collection) + suffix + (gzip ? GZ_SUFFIX : '');
  return ns.db === '' ? name : `${ns.db}/${name}`;
}
