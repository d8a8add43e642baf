import { isWorkCollection } from '../core/own-collections.js';
import type { CaptureSelection } from '../source/snapshot-source.js';
import { namespaceSelector } from './namespace-filter.js';

/** One collection of a database as a capture sees it. */
export interface SelectedCollection<T> {
  readonly info: T;
  /** Whether the include/exclude globs take it. */
  readonly selected: boolean;
}

/**
 * The collections of `db` a capture considers, sorted by name: `system.*` and dbfork's own work
 * collections left out, each marked by whether the selection takes it. The capture and its dry-run
 * preview both select with this, so the preview shows what the capture reads.
 */
export function selectCollections<T extends { readonly name: string }>(
  db: string,
  infos: readonly T[],
  selection: CaptureSelection,
): SelectedCollection<T>[] {
  const selected = namespaceSelector(selection.include ?? [], selection.exclude ?? []);
  return infos
    .filter((info) => !info.name.startsWith('system.') && !isWorkCollection(info.name))
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((info) => ({ info, selected: selected(db, info.name) }));
}
