import { UsageError } from '../errors/index.js';
import { SNAPSHOT_NAME } from './snapshot-id.js';

/** A reference to a snapshot: `name`, `name@latest` or `name@<id>`. */
export interface SnapshotRef {
  readonly name: string;
  /** A snapshot id, or 'latest'. */
  readonly id: string;
}

/**
 * Parse `name[@id|@latest]` (default `@latest`).
 * @throws UsageError `SNAPSHOT_BAD_REF` on an invalid name
 */
export function parseSnapshotRef(text: string): SnapshotRef {
  const at = text.indexOf('@');
  const name = at < 0 ? text : text.slice(0, at);
  const id = at < 0 ? 'latest' : text.slice(at + 1);
  if (!SNAPSHOT_NAME.test(name) || id === '') {
    throw new UsageError('SNAPSHOT_BAD_REF', `not a snapshot reference: ${text}`, {
      hint: 'use <name>, <name>@latest or <name>@<snapshot-id> (names: letters, digits, _ . -)',
    });
  }
  return { name, id };
}

/** The text form of a resolved reference, `name@id` (what {@link parseSnapshotRef} reads back). Never throws. */
export function formatSnapshotRef(ref: SnapshotRef): string {
  return `${ref.name}@${ref.id}`;
}
