import { StoreError } from '../errors/index.js';
import type { SnapshotInfo } from './snapshot-catalog.js';

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for a `YYYY-MM-DD` text (a UTC day selector), valid or not as a calendar date. */
export function looksLikeSnapshotDate(text: string): boolean {
  return DATE.test(text);
}

/** True for a real calendar date `YYYY-MM-DD` (`2026-02-30` is not). */
export function isSnapshotDate(text: string): boolean {
  const m = DATE.exec(text);
  if (!m) return false;
  const day = new Date(`${text}T00:00:00.000Z`);
  return !Number.isNaN(day.getTime()) && day.toISOString().slice(0, 10) === text;
}

/** How many nearest days a "none that day" error lists. */
const NEAREST = 3;

/**
 * The newest complete snapshot of `name` taken on the UTC day `date` (`YYYY-MM-DD`), judged by its
 * manifest's `createdAt` (the capture's start, ISO 8601 UTC). Incomplete snapshots never count.
 *
 * @param snapshots the name's snapshots as `SnapshotCatalog.list` gives them (any order)
 * @returns the snapshot's id
 * @throws StoreError `SNAPSHOT_NOT_FOUND` when none was taken that day, listing the nearest days
 *   that have one
 */
export function snapshotOfDay(snapshots: readonly SnapshotInfo[], name: string, date: string): string {
  const complete = snapshots.filter((s) => s.name === name && s.manifest !== null);
  const ofDay = complete
    .filter((s) => s.manifest!.createdAt.slice(0, 10) === date)
    .sort((a, b) => b.manifest!.createdAt.localeCompare(a.manifest!.createdAt) || b.id.localeCompare(a.id));
  const newest = ofDay[0];
  if (newest) return newest.id;
  const nearest = nearestDays(
    complete.map((s) => s.manifest!.createdAt.slice(0, 10)),
    date,
  );
  const days = [...nearest].sort();
  throw new StoreError(
    'SNAPSHOT_NOT_FOUND',
    `no complete snapshot ${name} was taken on ${date} (UTC)${days.length > 0 ? `; nearest days with one: ${days.join(', ')}` : ''}`,
    {
      subject: { snapshot: `${name}@${date}` },
      hint:
        nearest[0] !== undefined
          ? `e.g. ${name}@${nearest[0]}, or see them all with \`dbfork snapshot list --name ${name}\``
          : `there is no complete snapshot named ${name}: \`dbfork snapshot list\` shows what exists`,
    },
  );
}

/** The distinct days nearest to `date`, nearest first (ties: the earlier first), at most {@link NEAREST}. */
function nearestDays(days: readonly string[], date: string): string[] {
  const target = Date.parse(`${date}T00:00:00.000Z`);
  const distance = (d: string) => Math.abs(Date.parse(`${d}T00:00:00.000Z`) - target);
  return [...new Set(days)].sort((a, b) => distance(a) - distance(b) || a.localeCompare(b)).slice(0, NEAREST);
}
