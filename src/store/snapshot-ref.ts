import { UsageError } from '../errors/index.js';
import { isSnapshotDate, looksLikeSnapshotDate } from './snapshot-date.js';
import { SNAPSHOT_NAME } from './snapshot-id.js';

/** A reference to a snapshot: `name`, `name@latest`, `name@<id>` or `name@<YYYY-MM-DD>`. */
export interface SnapshotRef {
  readonly name: string;
  /**
   * A snapshot id, `latest`, or a UTC day `YYYY-MM-DD` (the newest complete snapshot taken that day;
   * resolved by `SnapshotCatalog.resolve`).
   */
  readonly id: string;
}

/**
 * Parse `name[@id|@latest|@YYYY-MM-DD]` (default `@latest`).
 * @throws UsageError `SNAPSHOT_BAD_REF` on an invalid name, or a date that is not a calendar date
 */
export function parseSnapshotRef(text: string): SnapshotRef {
  const at = text.indexOf('@');
  const name = at < 0 ? text : text.slice(0, at);
  const id = at < 0 ? 'latest' : text.slice(at + 1);
  if (!SNAPSHOT_NAME.test(name) || id === '' || (looksLikeSnapshotDate(id) && !isSnapshotDate(id))) {
    throw new UsageError('SNAPSHOT_BAD_REF', `not a snapshot reference: ${text}`, {
      hint: 'use <name>, <name>@latest, <name>@<snapshot-id> or <name>@<YYYY-MM-DD> (names: letters, digits, _ . -)',
    });
  }
  return { name, id };
}

/** The text form of a resolved reference, `name@id` (what {@link parseSnapshotRef} reads back). Never throws. */
export function formatSnapshotRef(ref: SnapshotRef): string {
  return `${ref.name}@${ref.id}`;
}
