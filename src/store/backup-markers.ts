import { z } from 'zod';
import type { ObjectStore } from './object-store.js';
import { readObjectJson } from './object-text.js';
import { isSnapshotId } from './snapshot-id.js';

/**
 * Daily markers of backups: `<name>/daily/<YYYY-MM-DD>`, a small JSON object naming the newest
 * backup of that UTC day, written after its manifest (and after `<name>/latest` moved). A marker is
 * a pointer, never a copy of the data; one whose snapshot was deleted since reads as no marker.
 */
const DailyMarkerSchema = z.object({
  /** `<name>@<id>`. */
  snapshot: z.string(),
  id: z.string().refine(isSnapshotId, 'not a snapshot id'),
  /** The UTC day, `YYYY-MM-DD`. */
  date: z.string(),
  /** ISO 8601 UTC. */
  writtenAt: z.string(),
});

export type DailyMarker = z.infer<typeof DailyMarkerSchema>;

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The UTC day of an instant, `YYYY-MM-DD`. */
export function utcDay(at: Date): string {
  return at.toISOString().slice(0, 10);
}

/** True for a `YYYY-MM-DD` text. */
export function isUtcDay(text: string): boolean {
  return DATE.test(text) && !Number.isNaN(Date.parse(`${text}T00:00:00Z`));
}

export function dailyKey(name: string, date: string): string {
  return `${name}/daily/${date}`;
}

/**
 * Point `<name>/daily/<date>` at a complete snapshot (replacing the day's earlier marker).
 * @throws StoreError `STORE_WRITE_FAILED`
 */
export async function writeDailyMarker(
  store: ObjectStore,
  marker: Omit<DailyMarker, 'snapshot'> & { readonly name: string },
): Promise<DailyMarker> {
  const body: DailyMarker = {
    snapshot: `${marker.name}@${marker.id}`,
    id: marker.id,
    date: marker.date,
    writtenAt: marker.writtenAt,
  };
  await store.put(dailyKey(marker.name, marker.date), JSON.stringify(body) + '\n');
  return body;
}

/** The snapshot id `<name>/daily/<date>` names, or null when there is no (valid) marker. */
export async function readDailyMarker(
  store: ObjectStore,
  name: string,
  date: string,
): Promise<string | null> {
  const parsed = DailyMarkerSchema.safeParse(await readObjectJson(store, dailyKey(name, date)));
  return parsed.success ? parsed.data.id : null;
}

/** The days that have a daily marker, oldest first. */
export async function listDailyMarkers(store: ObjectStore, name: string): Promise<string[]> {
  const prefix = `${name}/daily/`;
  const { objects } = await store.list(prefix, { delimiter: '/' });
  return objects.map((o) => o.key.slice(prefix.length)).filter(isUtcDay);
}
