import type { DumpEvent } from '../../core/dump-event.js';
import type { RuleDomain } from '../rule-domain.js';
import type { ParallelPlan } from './parallel-plan.js';
import { RewritePool, type PoolResult } from './rewrite-pool.js';
import type { WorkerInit } from './worker-protocol.js';

/** How a stream is spread over rewrite workers. */
export interface ParallelSettings {
  /** Rewrite workers (≥ 2; one means the in-thread engine, without this machinery). */
  readonly count: number;
  /** Rules and key source for the workers (the prelude's collections are added here). */
  readonly init: Omit<WorkerInit, 'collections'>;
  /** Documents of worker namespaces rewritten in thread before the workers start (small inputs). */
  readonly startAfter: number;
}

/** A batch closes at this many documents … */
const BATCH_DOCUMENTS = 512;
/** … or this many bytes of BSON. */
const BATCH_BYTES = 1 << 20;

interface Batch {
  readonly namespace: string;
  readonly firstOrdinal: number;
  readonly docs: Uint8Array[];
  bytes: number;
  status: 'open' | 'queued' | 'sent' | 'answered';
  /** The worker's answer (null: rewrite every document in thread). */
  answer: PoolResult | null;
  /** Settles once answered (set when sent). */
  done: Promise<void> | null;
  /** Per-domain index of the worker's numbering → the true domain (resolved at the first commit). */
  domains: (RuleDomain | undefined)[] | null;
  emitted: number;
}

type Slot =
  | {
      readonly kind: 'now';
      readonly produce: () => DumpEvent | null;
      readonly after?: () => void;
      readonly bytes: number;
    }
  | {
      readonly kind: 'batch';
      readonly batch: Batch;
      readonly index: number;
      /** Emit the document: with the worker's output, or null to rewrite it in thread. */
      readonly emit: (rewritten: Uint8Array | null) => DumpEvent;
    };

/**
 * The ordered half of parallel anonymization: every output event goes through one FIFO, and an event
 * is produced (rewritten, counted, uniqueness committed) only when it reaches the head, so the main
 * thread's uniqueness registries see exactly the sequence of claims the in-thread engine makes.
 *
 * Documents of eligible namespaces are gathered per namespace into batches (≤ 512 documents or 1 MiB)
 * and rewritten by workers against their own registries; at the head, the worker's claims are replayed
 * against the true registry (src/transform/uniqueness-registry.ts): the worker's output is kept only when
 * every claim gets the answer the worker got, else the main thread rewrites the document itself. A
 * claim's answer decides the next attempt, so equal answers mean the in-thread engine would have made
 * the same attempts and produced the same bytes.
 *
 * Memory: at most two batches per worker are in flight, at most `4 × workers + 1` batches are pending
 * (open, in flight, or answered and waiting for the head, so one slow worker does not stall the others)
 * and at most `(4 × workers + 4)` MiB of documents wait in the FIFO; past either bound the stream stops
 * reading and waits for the head.
 */
export class OrderedRewrite {
  readonly #settings: ParallelSettings;
  readonly #collections: WorkerInit['collections'];
  readonly #domains: ReadonlyMap<string, RuleDomain>;
  readonly #free: readonly RuleDomain[];
  readonly #fifo: Slot[] = [];
  #head = 0;
  readonly #open = new Map<string, Batch>();
  readonly #queue: Batch[] = [];
  #pool: RewritePool | null = null;
  #seen = 0;
  #batches = 0;
  #pendingBytes = 0;
  #after: (() => void) | null = null;
  readonly #maxBatches: number;
  readonly #maxPendingBytes: number;

  /**
   * @param collections the prelude's collections after exclusions (the workers plan them too)
   * @param plan the main thread's unique domains (their registries are the true ones) and the domains
   *   of worker namespaces without a registry
   */
  constructor(
    settings: ParallelSettings,
    collections: WorkerInit['collections'],
    plan: Pick<ParallelPlan, 'uniqueDomains' | 'freeDomains'>,
  ) {
    this.#settings = settings;
    this.#collections = collections;
    this.#domains = new Map(plan.uniqueDomains.map((d) => [d.name, d]));
    this.#free = plan.freeDomains;
    this.#maxBatches = 4 * settings.count + 1;
    this.#maxPendingBytes = (4 * settings.count + 4) * BATCH_BYTES;
  }

  /** An event produced in thread when it reaches the head (`after` runs once it was taken). */
  now(produce: () => DumpEvent | null, bytes = 0, after?: () => void): void {
    this.#push(after ? { kind: 'now', produce, after, bytes } : { kind: 'now', produce, bytes });
  }

  /**
   * A document of an eligible namespace: batched for a worker once workers run, else produced in thread.
   * @param ordinal its position in the namespace (1-based), for the worker's error messages
   * @param emit produces the output event from the worker's bytes, or rewrites in thread given null
   */
  document(
    namespace: string,
    ordinal: number,
    bson: Uint8Array,
    emit: (rewritten: Uint8Array | null) => DumpEvent,
  ): void {
    this.#seen++;
    if (this.#pool === null && this.#seen > this.#settings.startAfter) {
      this.#pool = new RewritePool(this.#settings.count, {
        ...this.#settings.init,
        collections: this.#collections,
      });
    }
    let batch = this.#open.get(namespace);
    if (batch === undefined) {
      if (this.#pool === null || !this.#pool.ready) {
        // no worker ready yet (or none left): keep going in thread
        this.now(() => emit(null), bson.length);
        return;
      }
      batch = {
        namespace,
        firstOrdinal: ordinal,
        docs: [],
        bytes: 0,
        status: 'open',
        answer: null,
        done: null,
        domains: null,
        emitted: 0,
      };
      this.#open.set(namespace, batch);
      this.#batches++;
    }
    this.#push({ kind: 'batch', batch, index: batch.docs.length, emit });
    this.#pendingBytes += bson.length;
    batch.docs.push(bson);
    batch.bytes += bson.length;
    if (batch.docs.length >= BATCH_DOCUMENTS || batch.bytes >= BATCH_BYTES) this.#close(batch);
  }

  #push(slot: Slot): void {
    if (slot.kind === 'now') this.#pendingBytes += slot.bytes;
    this.#fifo.push(slot);
  }

  #close(batch: Batch): void {
    if (batch.status !== 'open') return;
    this.#open.delete(batch.namespace);
    batch.status = 'queued';
    this.#queue.push(batch);
    this.#pump();
  }

  /** Send queued batches while a worker has room; with no worker left they are rewritten in thread. */
  #pump(): void {
    const pool = this.#pool;
    while (this.#queue.length > 0) {
      if (pool === null || !pool.alive) {
        for (const batch of this.#queue.splice(0)) batch.status = 'answered';
        return;
      }
      if (!pool.hasCapacity) return;
      const batch = this.#queue.shift() as Batch;
      batch.status = 'sent';
      batch.done = pool.submit(batch.namespace, batch.firstOrdinal, batch.docs).then((answer) => {
        batch.answer = answer;
        batch.status = 'answered';
        this.#pump();
      });
    }
  }

  get #overBounds(): boolean {
    return this.#batches > this.#maxBatches || this.#pendingBytes > this.#maxPendingBytes;
  }

  /**
   * The next output event, in order, produced now; null when there is none to produce yet (without
   * `all`: the head is a document a worker still holds and the pending bounds allow reading on; with
   * `all`, at the end of the input: the FIFO is empty); or a promise to await before asking again (the
   * head's worker has not answered and the bounds, or the end, say wait). The `after` hook of the
   * event returned before runs at the start of this call, once the consumer has taken that event.
   */
  next(all: boolean): DumpEvent | null | Promise<unknown> {
    const after = this.#after;
    this.#after = null;
    after?.();
    while (this.#head < this.#fifo.length) {
      const slot = this.#fifo[this.#head] as Slot;
      if (slot.kind === 'now') {
        this.#take();
        this.#pendingBytes -= slot.bytes;
        const event = slot.produce();
        if (event === null) {
          slot.after?.();
          continue;
        }
        this.#after = slot.after ?? null;
        return event;
      }
      const { batch } = slot;
      if (batch.status !== 'answered') {
        if (!all && !this.#overBounds) return null;
        this.#close(batch);
        this.#pump();
        if (batch.status === 'sent') return batch.done as Promise<void>;
        if (batch.status === 'queued') return this.#pool?.changed() ?? Promise.resolve();
        continue;
      }
      this.#take();
      this.#pendingBytes -= batch.docs[slot.index]?.length ?? 0;
      const event = slot.emit(this.#commit(batch, slot.index));
      if (++batch.emitted === batch.docs.length) this.#batches--;
      return event;
    }
    return null;
  }

  #take(): void {
    this.#head++;
    if (this.#head >= 1024 && this.#head * 2 >= this.#fifo.length) {
      this.#fifo.splice(0, this.#head);
      this.#head = 0;
    }
  }

  /**
   * The worker's output of document `index`, when replaying its claims against the true registries
   * gives every answer the worker got; else null (the caller rewrites it in thread).
   * @throws TransformError `TRANSFORM_UNIQUE_MEMORY` when a true registry is full (as in thread)
   */
  #commit(batch: Batch, index: number): Uint8Array | null {
    const answer = batch.answer;
    if (answer === null) return null;
    // a domain became unique after the prelude: the workers made no claims there
    if (this.#free.some((d) => d.registry !== null)) return null;
    const { result } = answer;
    if (result.failed[index] === 1) return null;
    batch.domains ??= answer.domains.map((name) => this.#domains.get(name));
    const from = index === 0 ? 0 : (result.claimEnds[index - 1] as number);
    const to = result.claimEnds[index] as number;
    for (let c = from; c < to; c++) {
      const registry = batch.domains[result.claimDomains[c] as number]?.registry;
      if (!registry) return null;
      const accepted = registry.claim(result.claimOutputs[c] as string, result.claimOriginals[c] as string);
      if (accepted !== (result.claimAccepted[c] === 1)) return null;
    }
    const start = index === 0 ? 0 : (result.ends[index - 1] as number);
    const end = result.ends[index] as number;
    return Buffer.from(result.bytes.buffer, result.bytes.byteOffset + start, end - start);
  }

  /** Stop the workers (at the end, on error, or when the consumer stops early). */
  async close(): Promise<void> {
    const pool = this.#pool;
    this.#pool = null;
    this.#queue.length = 0;
    await pool?.close();
  }
}
