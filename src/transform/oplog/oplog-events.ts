import type { CollectionEntry, DumpEvent, DumpEventStream } from '../../core/dump-event.js';
import { formatNamespace, isDumpOplog } from '../../core/namespace.js';
import type { Anonymizer } from '../anonymizer.js';
import { OplogRewriter, type OplogPolicy } from './oplog-rewriter.js';

/**
 * A stream stage that rewrites the documents of a dump's oplog namespace (`{db: "", collection:
 * "oplog"}`, as `mongodump --oplog` writes it) with {@link OplogRewriter} and passes every other
 * event unchanged, pulled with backpressure, one entry at a time. Put it after `anonymizeEvents`
 * with the same {@link Anonymizer}, so that collections and entries share domains and memories.
 * The oplog's `end` loses the reader's CRC-64 (the writer computes its own).
 *
 * @throws what {@link OplogRewriter.rewrite} throws, at the entry
 */
export async function* rewriteOplogEvents(
  events: DumpEventStream,
  anonymizer: Anonymizer,
  policy?: OplogPolicy,
): AsyncGenerator<DumpEvent> {
  let rewriter: OplogRewriter | null = null;
  let ordinal = 0;
  for await (const event of events) {
    if (event.type === 'prelude') {
      const entries = new Map<string, CollectionEntry>();
      for (const entry of event.collections) entries.set(formatNamespace(entry.namespace), entry);
      rewriter = new OplogRewriter(anonymizer, entries, policy);
      yield event;
    } else if (!isDumpOplog(event.namespace) || !rewriter) {
      yield event;
    } else if (event.type === 'document') {
      yield { ...event, bson: rewriter.rewrite(event.bson, ++ordinal) };
    } else {
      yield { type: 'end', namespace: event.namespace };
    }
  }
}
