import { isDbforkBookkeeping } from '../core/own-collections.js';

/**
 * The target collections a replacing restore drops: every collection of the target db that the
 * restore did not bring (`kept`), except `system.*` collections and dbfork's own bookkeeping (work
 * collections, the journal, `snapshot_metadata`). Pure; sorted by name.
 *
 * @param existing the target db's collection and view names now
 * @param kept the target collection names the restore wrote
 */
export function collectionsToDrop(existing: readonly string[], kept: readonly string[]): string[] {
  const keep = new Set(kept);
  return existing
    .filter((name) => !keep.has(name) && !name.startsWith('system.') && !isDbforkBookkeeping(name))
    .sort();
}
