import type { CollectionEntry, DumpEvent, DumpEventStream } from '../core/dump-event.js';
import { formatNamespace, type Namespace } from '../core/namespace.js';
import { unlistedNamespace } from '../core/unlisted-namespace.js';
import { Anonymizer, type NamespacePlan } from './anonymizer.js';
import { sizeLimiter, type SizeLimiter } from './size-limit.js';
import { windowShuffle, type WindowShuffle } from './window-shuffle.js';
import { OrderedRewrite, type ParallelSettings } from './workers/ordered-rewrite.js';
import { parallelPlan } from './workers/parallel-plan.js';

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
  /**
   * Rewrite on worker threads (absent, or fewer than 2 workers: in this thread). The output is the
   * same byte for byte (see workers/ordered-rewrite.ts).
   */
  readonly workers?: ParallelSettings;
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
 * open) and uniqueness memories (see uniqueness-registry.ts). With `options.workers` (≥ 2), the
 * same events, byte for byte and in the same order, with documents rewritten on worker threads
 * (workers/ordered-rewrite.ts): plus at most `4 × workers + 1` batches (≤ 1 MiB each) pending, and each
 * worker's own engine and memory of its uniqueness claims.
 *
 * @throws TransformError (type mismatch, unique collision), UsageError `RULES_CONFLICT`, ArchiveError
 *   `ARCHIVE_UNKNOWN_NAMESPACE` for data of a namespace missing from the prelude (never passed on
 *   unplanned), or whatever the input stream throws; the output stream stops at the error
 */
export function anonymizeEvents(
  events: DumpEventStream,
  anonymizer: Anonymizer,
  options: AnonymizeEventsOptions = {},
): AsyncGenerator<DumpEvent> {
  if (options.workers !== undefined && options.workers.count >= 2)
    return anonymizeInParallel(events, anonymizer, options, options.workers);
  return inThread(events, anonymizer, options, new Map());
}

/** The in-thread engine (`states`: namespaces planned already, when the prelude was read before). */
async function* inThread(
  events: AsyncIterable<DumpEvent>,
  anonymizer: Anonymizer,
  options: AnonymizeEventsOptions,
  states: Map<string, State>,
): AsyncGenerator<DumpEvent> {
  for await (const event of events) {
    if (event.type === 'prelude') {
      yield planPrelude(event, anonymizer, states, options);
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
    yield endOf(state, event);
    options.onNamespaceDone?.(stats);
  }
}

/**
 * {@link anonymizeEvents} on worker threads: the same events in the same order, each produced when it
 * reaches the head of one FIFO (workers/ordered-rewrite.ts). Namespaces whose rules keep state across
 * documents stay in this thread. An error of the input is raised after every event read before it was
 * emitted (as in thread, where those events were emitted before the input was read further).
 */
async function* anonymizeInParallel(
  events: DumpEventStream,
  anonymizer: Anonymizer,
  options: AnonymizeEventsOptions,
  settings: ParallelSettings,
): AsyncGenerator<DumpEvent> {
  const iterator = events[Symbol.asyncIterator]();
  try {
    const states = new Map<string, State>();
    const rest: AsyncIterable<DumpEvent> = { [Symbol.asyncIterator]: () => iterator };
    const first = await iterator.next();
    if (first.done === true) return;
    if (first.value.type !== 'prelude') throw unlistedNamespace(first.value);
    const prelude = planPrelude(first.value, anonymizer, states, options);
    const planned = prelude.collections.map((entry) => ({
      entry,
      plan: (states.get(formatNamespace(entry.namespace)) as State).plan,
    }));
    const parallel = parallelPlan(anonymizer, planned);
    const eligible = parallel.eligible;
    if (eligible.size === 0) {
      // nothing for workers: the in-thread engine, without starting any
      yield prelude;
      yield* inThread(rest, anonymizer, options, states);
      return;
    }
    const order = new OrderedRewrite(settings, prelude.collections, parallel);
    try {
      yield prelude;
      try {
        for await (const event of rest) {
          if (event.type === 'prelude') {
            // one prelude per stream (DumpEvent contract); another is planned as the engine in thread does
            order.now(() => planPrelude(event, anonymizer, states, options));
            continue;
          }
          const name = formatNamespace(event.namespace);
          const state = states.get(name);
          if (!state) throw unlistedNamespace(event);
          if (state.plan.excluded) continue;
          const { stats } = state;
          const { namespace } = event;
          if (event.type === 'document') {
            stats.documentsIn++;
            stats.bytesIn += event.bson.length;
            if (eligible.has(name)) {
              const bson = event.bson;
              order.document(name, stats.documentsIn, bson, (out) => emit(state, namespace, bson, out));
            } else {
              const ready = state.limiter ? state.limiter.offer(event.bson) : [event.bson];
              for (const bson of shuffled(state, ready))
                order.now(() => emit(state, namespace, bson), bson.length);
            }
          } else {
            for (const bson of shuffled(state, state.limiter?.finish() ?? []))
              order.now(() => emit(state, namespace, bson), bson.length);
            for (const bson of state.shuffle?.finish() ?? [])
              order.now(() => emit(state, namespace, bson), bson.length);
            order.now(
              () => endOf(state, event),
              0,
              () => options.onNamespaceDone?.(stats),
            );
          }
          for (let out = order.next(false); out !== null; out = order.next(false)) {
            if (out instanceof Promise) await out;
            else yield out;
          }
        }
      } catch (error) {
        yield* emitReady(order, true);
        throw error;
      }
      yield* emitReady(order, true);
    } finally {
      await order.close();
    }
  } finally {
    await iterator.return?.();
  }
}

/** Every event {@link OrderedRewrite.next} gives, waiting when it says so. */
async function* emitReady(order: OrderedRewrite, all: boolean): AsyncGenerator<DumpEvent> {
  for (let out = order.next(all); out !== null; out = order.next(all)) {
    if (out instanceof Promise) await out;
    else yield out;
  }
}

/** Plan every namespace of the prelude (excluded ones are reported done and dropped). */
function planPrelude(
  event: Extract<DumpEvent, { type: 'prelude' }>,
  anonymizer: Anonymizer,
  states: Map<string, State>,
  options: AnonymizeEventsOptions,
): Extract<DumpEvent, { type: 'prelude' }> {
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
  return { ...event, collections: kept };
}

/** The end event: the reader's own (with its `crc64`) only for an untouched namespace. */
function endOf(state: State, event: Extract<DumpEvent, { type: 'end' }>): DumpEvent {
  const untouched = state.plan.rewriter === null && state.limiter === null && state.shuffle === null;
  return untouched ? event : { type: 'end', namespace: event.namespace };
}

/** The documents ready after the window shuffle (all of `ready` when the namespace has none). */
function shuffled(state: State, ready: readonly Uint8Array[]): readonly Uint8Array[] {
  const { shuffle } = state;
  return shuffle ? ready.flatMap((bson) => shuffle.offer(bson)) : ready;
}

/**
 * Count and produce one output document: `rewritten` (a worker's output, already committed) or, when
 * null or absent, `bson` rewritten here.
 */
function emit(
  state: State,
  namespace: Namespace,
  bson: Uint8Array,
  rewritten: Uint8Array | null = null,
): DumpEvent {
  const { stats, plan } = state;
  stats.documentsOut++;
  const out = rewritten ?? (plan.rewriter ? plan.rewriter.rewrite(bson, stats.documentsOut) : bson);
  if (plan.rewriter) stats.documentsRewritten++;
  stats.bytesOut += out.length;
  return { type: 'document', namespace, bson: out };
}
