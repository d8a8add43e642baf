import type { CollectionInfo, MongoClient } from 'mongodb';
import type { CollectionEntry, DumpEvent } from '../core/dump-event.js';
import { NO_PROGRESS } from '../core/progress.js';
import { withRetry } from '../core/retry.js';
import type {
  Capture,
  ServerCapture,
  ServerCaptureOptions,
  SkippedNamespace,
} from '../source/snapshot-source.js';
import { captureDatabase, collectionEvents, metadataJson, readFailed } from './capture.js';
import { isTransientMongoError } from './classify-mongo-error.js';
import { databaseSelector } from './namespace-filter.js';

/** The server's own databases, which mongodump leaves out of a whole-server dump (users aside). */
const INTERNAL_DATABASES: readonly string[] = ['admin', 'config', 'local'];
/** Where a MongoDB server keeps its users and roles (mongodump dumps them on a whole-server dump). */
const AUTH_COLLECTIONS: readonly string[] = ['system.users', 'system.roles'];

/**
 * Capture every database of the server into one stream, as `mongodump` without `--db` does: each
 * database's collections as `db.coll`, one database after the other (collections of one database
 * read in parallel), then `admin.system.users` and `admin.system.roles` where the server lists them.
 * `admin`, `config` and `local` are otherwise left out; so are databases the globs leave empty (a
 * database no db-qualified include can match is not even listed). Users
 * and roles the server does not list (FerretDB has none; a server without users has no
 * `system.users`) are reported in `skipped`.
 *
 * @throws SourceError `SOURCE_READ_FAILED` when a read fails for good
 */
export async function captureServer(
  client: MongoClient,
  options: ServerCaptureOptions,
): Promise<ServerCapture> {
  const onProgress = options.onProgress ?? NO_PROGRESS;
  const retry = <T>(what: string, fn: () => Promise<T>): Promise<T> =>
    withRetry(fn, { attempts: options.attempts ?? 5, isRetryable: isTransientMongoError }).catch(
      (error: unknown) => {
        throw readFailed(what, error);
      },
    );
  const admin = client.db('admin');
  const buildInfo = await retry('admin', () => admin.command({ buildInfo: 1 }));
  const listed = await retry('admin', () => admin.admin().listDatabases({ nameOnly: true }));
  const names = listed.databases
    .map((d) => d.name)
    .filter((n) => !INTERNAL_DATABASES.includes(n))
    .filter(databaseSelector(options.include ?? []))
    .sort();
  const captures: { db: string; capture: Capture }[] = [];
  for (const db of names) {
    const capture = await captureDatabase(client, { ...options, db });
    if (capture.collections.length > 0) captures.push({ db, capture });
  }
  const auth = await authCollections(client, retry);
  const authEntries: CollectionEntry[] = [];
  for (const info of auth.present) {
    const indexes = await retry(`admin.${info.name}`, () =>
      admin.collection(info.name).listIndexes().toArray(),
    );
    authEntries.push({
      namespace: { db: 'admin', collection: info.name },
      collectionType: 'collection',
      metadataJson: metadataJson(info, indexes),
    });
  }
  const collections = [...captures.flatMap((c) => c.capture.collections), ...authEntries];
  const serverVersion = String(buildInfo.version ?? '');
  async function* events(): AsyncGenerator<DumpEvent> {
    yield {
      type: 'prelude',
      serverVersion,
      toolVersion: '',
      concurrentCollections: Math.max(1, options.parallelCollections ?? 4),
      collections,
    };
    for (const { capture } of captures) {
      for await (const event of capture.events) if (event.type !== 'prelude') yield event;
    }
    for (const entry of authEntries) {
      yield* collectionEvents(
        admin.collection(entry.namespace.collection),
        entry.namespace,
        options,
        options.attempts ?? 5,
        onProgress,
      );
    }
  }
  return {
    serverVersion,
    collections,
    events: events(),
    databases: captures.map((c) => c.db),
    skipped: auth.skipped,
  };
}

/** The auth collections `admin` lists, and those it does not (with why). */
async function authCollections(
  client: MongoClient,
  retry: <T>(what: string, fn: () => Promise<T>) => Promise<T>,
): Promise<{ present: CollectionInfo[]; skipped: SkippedNamespace[] }> {
  let present: CollectionInfo[];
  try {
    const all = await retry('admin', () =>
      client.db('admin').listCollections({}, { nameOnly: false }).toArray(),
    );
    present = all.filter((c) => AUTH_COLLECTIONS.includes(c.name)) as CollectionInfo[];
  } catch (error) {
    const reason = `the server refused to list admin's collections: ${(error as Error).message}`;
    return { present: [], skipped: AUTH_COLLECTIONS.map((c) => ({ namespace: `admin.${c}`, reason })) };
  }
  const skipped = AUTH_COLLECTIONS.filter((c) => !present.some((p) => p.name === c)).map((c) => ({
    namespace: `admin.${c}`,
    reason: 'the server does not list it (no such users or roles, or the server does not expose them)',
  }));
  return { present: present.sort((a, b) => a.name.localeCompare(b.name)), skipped };
}
