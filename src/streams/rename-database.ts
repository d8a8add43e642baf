import type { DumpEvent, DumpEventStream } from '../core/dump-event.js';

/**
 * The same dump stream with every namespace of database `from` (every database when `from` is null)
 * moved to database `to` (other databases untouched). Lets db-qualified rules written for production (`shop.customers`) apply to a
 * copy restored under another name (`shop_pr_123.customers`). Document bytes are not touched.
 */
export async function* renameDatabase(
  events: DumpEventStream,
  from: string | null,
  to: string,
): AsyncGenerator<DumpEvent> {
  const move = <T extends { db: string }>(ns: T): T =>
    from === null || ns.db === from ? { ...ns, db: to } : ns;
  for await (const event of events) {
    if (event.type === 'prelude') {
      yield { ...event, collections: event.collections.map((c) => ({ ...c, namespace: move(c.namespace) })) };
    } else {
      yield { ...event, namespace: move(event.namespace) };
    }
  }
}
