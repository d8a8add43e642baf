import type { CollectionEntry, DumpEvent, DumpEventStream } from '../core/dump-event.js';
import { formatNamespace, type Namespace } from '../core/namespace.js';
import { unlistedNamespace } from '../core/unlisted-namespace.js';
import { Anonymizer, type NamespacePlan } from './anonymizer.js';
import { sizeLimiter, type SizeLimiter } from './size-limit.js';
import { windowShuffle, type WindowShuffle } from './window-shuffle.js';

/** Per-namespace counts of one run, for progress and results. */
export interface AnonymizeStats {
  readonly namespace: string;
  /** Documents read from the input. */
  documentsIn: number;
  /** Documents written (after `max_documents`). */
  documentsOut: number;
  /** Documents decoded and rewritten (0 for pass-through namespaces). */
  documentsRewritten: number;
  bytesIn: number;
  bytesOut: number;
  readonly excluded: boolean;
}

export interface AnonymizeEventsOptions {
  /** Called once per namespace when it ends (and for excluded ones at the prelude). */
  readonly onNamespaceDone?: (stats: AnonymizeStats) => void;
}

interface State {
  readonly plan: NamespacePlan;
  readonly limiter: SizeLimiter | null;
  readonly shuffle: WindowShuffle | null;
  readonly stats: AnonymizeStats;
}

/**
 * The streaming anonymizer: `DumpEventStream → DumpEventStream`, pulled with backpressure.
 *
 * - prelude: excluded namespaces are dropped; every other namespace is planned before the first
 *   document (so uniqueness and counters are set up, and rule conflicts fail before any output);
 * - documents: excluded → dropped; no rule → passed through byte for byte (never decoded); with
 *   rules → decoded, rewritten, re-encoded; `max_documents` applied before rewriting (so with
 *   `order: _id` the rewrite, and `sequential` numbering, follow `_id` order);
 * - `shuffle` rules: after `max_documents`, documents are held in windows and their shuffled
 *   fields' original values permuted among each other (window-shuffle.ts), then rewritten by the
 *   other rules in their original order; other namespaces' events keep flowing meanwhile;
 * - end: buffered `_id`-ordered documents, then the last shuffle window, are flushed first; the
 *   reader's `crc64` is kept only for untouched namespaces (writers recompute their own anyway).
 *
 * Memory: one document at a time, plus `size_limits` buffers (`order: _id`: N documents per
 * limited namespace still open), shuffle windows (`window` documents per shuffled namespace still
 * open) and uniqueness memories (see uniqueness-registry.ts).
 *
 * @throws TransformError (type mismatch, unique collision), UsageError `RULES_CONFLICT`, ArchiveError
 *   `ARCHIVE_UNKNOWN_NAMESPACE` for data of a namespace missing from the prelude (never passed on
 *   unplanned), or whatever the input stream throws; the output stream stops at the error
 */
export async function* anonymizeEvents(
  events: DumpEventStream,
  anonymizer: Anonymizer,
  options: AnonymizeEventsOptions = {},
): AsyncGenerator<DumpEvent> {
  const states = new Map<string, State>();
  for await (const event of events) {
    if (event.type === 'prelude') {
      const kept: CollectionEntry[] = [];
      for (const entry of event.collections) {
        const plan = anonymizer.plan(entry);
        const stats: AnonymizeStats = {
          namespace: plan.namespace,
          documentsIn: 0,
          documentsOut: 0,
          documentsRewritten: 0,
          bytesIn: 0,
          bytesOut: 0,
          excluded: plan.excluded,
        };
        states.set(plan.namespace, {
          plan,
          limiter: plan.limit ? sizeLimiter(plan.limit.maxDocuments, plan.limit.order) : null,
          shuffle: plan.shuffle ? windowShuffle(plan.namespace, plan.shuffle) : null,
          stats,
        });
        if (plan.excluded) options.onNamespaceDone?.(stats);
        else kept.push(entry);
      }
      yield { ...event, collections: kept };
      continue;
    }
    const name = formatNamespace(event.namespace);
    const state = states.get(name);
    if (!state) throw unlistedNamespace(event);
    if (state.plan.excluded) continue;
    const { stats } = state;
    if (event.type === 'document') {
      stats.documentsIn++;
      stats.bytesIn += event.bson.length;
      const ready = state.limiter ? state.limiter.offer(event.bson) : [event.bson];
      for (const bson of shuffled(state, ready)) yield emit(state, event.namespace, bson);
      continue;
    }
    for (const bson of shuffled(state, state.limiter?.finish() ?? []))
      yield emit(state, event.namespace, bson);
    for (const bson of state.shuffle?.finish() ?? []) yield emit(state, event.namespace, bson);
    const untouched = state.plan.rewriter === null && state.limiter === null && state.shuffle === null;
    yield untouched ? event : { type: 'end', namespace: event.namespace };
    options.onNamespaceDone?.(stats);
  }
}

/** The documents ready after the window shuffle (all of `ready` when the namespace has none). */
function shuffled(state: State, ready: readonly Uint8Array[]): readonly Uint8Array[] {
  const { shuffle } = state;
  return shuffle ? ready.flatMap((bson) => shuffle.offer(bson)) : ready;
}

function emit(state: State, namespace: Namespace, bson: Uint8Array): DumpEvent {
  const { stats, plan } = state;
  stats.documentsOut++;
  const out = plan.rewriter ? plan.rewriter.rewrite(bson, stats.documentsOut) : bson;
  if (plan.rewriter) stats.documentsRewritten++;
  stats.bytesOut += out.length;
  return { type: 'document', namespace, bson: out };
}
