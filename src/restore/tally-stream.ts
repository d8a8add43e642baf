import type { DumpEvent, DumpEventStream } from '../core/dump-event.js';
import { formatNamespace } from '../core/namespace.js';
import { DocumentTally, type Crc64Factory } from '../archive/document-tally.js';

/** The per-namespace tallies of a stream, filled as it is pulled. */
export interface StreamTallies {
  /** `db.coll` → what the stream held for it. */
  readonly byNamespace: Map<string, DocumentTally>;
  /** The archive's CRC-64 per namespace, from its end event. */
  readonly archiveCrc64: Map<string, bigint>;
}

/**
 * Pass a stream through unchanged while counting and hashing the documents of every namespace of the
 * prelude that `select` accepts (tallies are created when the prelude passes, before any document).
 * Pull-based: it reads one event from the source only when the consumer asks for one.
 */
export async function* tallyStream(
  events: DumpEventStream,
  tallies: StreamTallies,
  select: (collection: string) => boolean,
  crc64?: Crc64Factory,
): AsyncGenerator<DumpEvent> {
  for await (const event of events) {
    if (event.type === 'prelude') {
      for (const c of event.collections) {
        if (select(c.namespace.collection))
          tallies.byNamespace.set(formatNamespace(c.namespace), new DocumentTally(crc64?.()));
      }
    } else if (event.type === 'document') {
      const tally = tallies.byNamespace.get(formatNamespace(event.namespace));
      tally?.add(event.bson);
    } else if (event.crc64 !== undefined) {
      tallies.archiveCrc64.set(formatNamespace(event.namespace), event.crc64);
    }
    yield event;
  }
}
