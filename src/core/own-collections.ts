/** Prefix of every collection dbfork creates for its own work in a target db (temporaries, journal). */
export const WORK_PREFIX = '__dbfork_';

/** Collection holding one journal document per restore run in a target db. */
export const JOURNAL_COLLECTION = '__dbfork_restore_journal';

/** The record of the last restore, written last into every target db (`snapshot_metadata`: which snapshot the db holds, for
 * apps and for the next restore). */
export const SNAPSHOT_METADATA_COLLECTION = 'snapshot_metadata';

/** True for dbfork's work collections (never data: captures and scans skip them). */
export function isWorkCollection(name: string): boolean {
  return name.startsWith(WORK_PREFIX);
}

/** True for anything dbfork itself wrote into a target db: work collections and `snapshot_metadata`. */
export function isDbforkBookkeeping(name: string): boolean {
  return isWorkCollection(name) || name === SNAPSHOT_METADATA_COLLECTION;
}
