import { StoreError, UsageError } from '../../errors/index.js';
import { isUtcDay, readDailyMarker } from '../../store/backup-markers.js';
import type { ObjectStore } from '../../store/object-store.js';
import type { ResolvedSnapshot, SnapshotCatalog } from '../../store/snapshot-catalog.js';
import { SNAPSHOT_NAME } from '../../store/snapshot-id.js';

/** A backup as `backup restore --snapshot` names it: an id, `latest`, or a day's marker. */
export interface BackupRef {
  readonly name: string;
  readonly pick: { readonly id: string } | { readonly latest: true } | { readonly daily: string };
}

/**
 * Parse `<name>@<id>`, `<name>@latest`, `<name>@daily/<YYYY-MM-DD>`, or `latest` /
 * `daily/<YYYY-MM-DD>` with `name` (the `--name` flag).
 * @throws UsageError `SNAPSHOT_BAD_REF`
 */
export function parseBackupRef(text: string, name?: string): BackupRef {
  const at = text.indexOf('@');
  const ofName = at < 0 ? name : text.slice(0, at);
  const rest = at < 0 ? text : text.slice(at + 1);
  const bad = (why: string) =>
    new UsageError('SNAPSHOT_BAD_REF', `not a backup reference: ${text} (${why})`, {
      hint: 'use <name>@<id>, <name>@latest, <name>@daily/YYYY-MM-DD, or latest / daily/YYYY-MM-DD with --name',
    });
  if (ofName === undefined || !SNAPSHOT_NAME.test(ofName)) throw bad('no valid backup name');
  if (rest === 'latest') return { name: ofName, pick: { latest: true } };
  if (rest.startsWith('daily/')) {
    const day = rest.slice('daily/'.length);
    if (!isUtcDay(day)) throw bad('the day is not YYYY-MM-DD');
    return { name: ofName, pick: { daily: day } };
  }
  if (at < 0) throw bad('an id needs its name: <name>@<id>');
  return { name: ofName, pick: { id: rest } };
}

/** The text form: `name@id`, `name@latest`, `name@daily/<day>`. */
export function formatBackupRef(ref: BackupRef): string {
  const p = ref.pick;
  return `${ref.name}@${'id' in p ? p.id : 'latest' in p ? 'latest' : `daily/${p.daily}`}`;
}

/**
 * Resolve a backup reference to a complete snapshot: a daily marker through its id.
 * @throws StoreError `SNAPSHOT_NOT_FOUND` (no such backup, no marker for the day, or its snapshot is gone)
 */
export async function resolveBackup(
  catalog: SnapshotCatalog,
  objects: ObjectStore,
  ref: BackupRef,
): Promise<ResolvedSnapshot> {
  const p = ref.pick;
  if ('latest' in p) return catalog.resolve({ name: ref.name, id: 'latest' });
  if ('id' in p) return catalog.resolve({ name: ref.name, id: p.id });
  const id = await readDailyMarker(objects, ref.name, p.daily);
  if (id === null)
    throw new StoreError('SNAPSHOT_NOT_FOUND', `backup ${ref.name} has no daily marker for ${p.daily}`, {
      subject: { snapshot: formatBackupRef(ref) },
      hint: '`dbfork backup status --name <name>` shows the last backup; `dbfork snapshot list` every one',
    });
  return catalog.resolve({ name: ref.name, id });
}
