import type { DumpEvent, DumpEventStream } from '../core/dump-event.js';

/**
 * The part of a dump stream that belongs to database `db`: its prelude entries, documents and
 * ends; every other database's events are dropped (still read, in order). Restores one database of
 * a whole-server dump. Document bytes are not touched.
 */
export async function* onlyDatabase(events: DumpEventStream, db: string): AsyncGenerator<DumpEvent> {
  for await (const event of events) {
    if (event.type === 'prelude') {
      yield { ...event, collections: event.collections.filter((c) => c.namespace.db === db) };
    } else if (event.namespace.db === db) {
      yield event;
    }
  }
}
