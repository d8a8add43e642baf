import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { BatchRequest, BatchResult, WorkerInit, WorkerMessage } from './worker-protocol.js';

/** Batches a worker holds at once (one being rewritten, one waiting), so it never idles between two. */
const IN_FLIGHT_PER_WORKER = 2;

/** The worker entry point, next to this module (the built `.js`; the `.ts` source under a TS loader). */
function workerEntry(): URL {
  const built = new URL('./anonymize-worker.js', import.meta.url);
  return existsSync(fileURLToPath(built)) ? built : new URL('./anonymize-worker.ts', import.meta.url);
}

interface Member {
  readonly worker: Worker;
  state: 'starting' | 'ready' | 'gone';
  /** Unique domain names in the worker's claim numbering. */
  domains: readonly string[];
  readonly pending: Map<number, (result: BatchResult | null) => void>;
}

/** A batch's outcome: the worker's result with its domain numbering, or null (rewrite it in thread). */
export interface PoolResult {
  readonly result: BatchResult;
  readonly domains: readonly string[];
}

/**
 * A fixed set of rewrite workers (worker_threads), each holding at most two batches. Workers start in
 * the background; until one is ready {@link hasCapacity} is false. A worker that refuses to start,
 * crashes or exits is dropped and its pending batches resolve to null, so the caller rewrites them
 * itself: a worker failure never changes the output, it only costs speed.
 */
export class RewritePool {
  readonly #members: Member[] = [];
  #nextId = 1;
  #waiters: (() => void)[] = [];

  /** @param count workers to start (≥ 1) */
  constructor(count: number, init: WorkerInit) {
    const entry = workerEntry();
    for (let i = 0; i < count; i++) this.#members.push(this.#start(entry, init));
  }

  #start(entry: URL, init: WorkerInit): Member {
    const worker = new Worker(entry, { workerData: init, stdout: false, stderr: false });
    const member: Member = { worker, state: 'starting', domains: [], pending: new Map() };
    worker.on('message', (message: WorkerMessage) => {
      if (message.type === 'ready') {
        member.state = 'ready';
        member.domains = message.domains;
        worker.unref(); // idle: only a batch in flight keeps the process alive
      } else if (message.type === 'refused') {
        this.#drop(member);
      } else {
        const settle = member.pending.get(message.id);
        member.pending.delete(message.id);
        settle?.(message);
      }
      this.#wake();
    });
    worker.on('error', () => this.#drop(member));
    worker.on('exit', () => this.#drop(member));
    return member;
  }

  #drop(member: Member): void {
    if (member.state === 'gone') return;
    member.state = 'gone';
    for (const settle of member.pending.values()) settle(null);
    member.pending.clear();
    void member.worker.terminate();
    this.#wake();
  }

  #wake(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const wake of waiters) wake();
  }

  /** False once every worker is gone: nothing more will be rewritten here. */
  get alive(): boolean {
    return this.#members.some((m) => m.state !== 'gone');
  }

  /** Some worker is ready (and none has failed all of them). */
  get ready(): boolean {
    return this.#members.some((m) => m.state === 'ready');
  }

  /** A ready worker holds fewer than two batches. */
  get hasCapacity(): boolean {
    return this.#members.some((m) => m.state === 'ready' && m.pending.size < IN_FLIGHT_PER_WORKER);
  }

  /** Batches sent and not answered yet. */
  get inFlight(): number {
    return this.#members.reduce((n, m) => n + m.pending.size, 0);
  }

  /** Resolves at the next change: a worker ready or gone, a batch answered. */
  changed(): Promise<void> {
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  /**
   * Send one namespace's documents to the least busy ready worker (call only with {@link hasCapacity}).
   * The documents are copied into one buffer, which is transferred.
   *
   * @returns the worker's result, or null when the worker went away before answering
   */
  submit(namespace: string, firstOrdinal: number, docs: readonly Uint8Array[]): Promise<PoolResult | null> {
    const member = this.#members
      .filter((m) => m.state === 'ready' && m.pending.size < IN_FLIGHT_PER_WORKER)
      .reduce<Member | null>(
        (best, m) => (best === null || m.pending.size < best.pending.size ? m : best),
        null,
      );
    if (member === null) return Promise.resolve(null);
    let total = 0;
    for (const d of docs) total += d.length;
    const bytes = new Uint8Array(new ArrayBuffer(total));
    const ends = new Uint32Array(docs.length);
    let at = 0;
    docs.forEach((d, i) => {
      bytes.set(d, at);
      at += d.length;
      ends[i] = at;
    });
    const id = this.#nextId++;
    const request: BatchRequest = { id, namespace, firstOrdinal, bytes, ends };
    const domains = member.domains;
    return new Promise((resolve) => {
      if (member.pending.size === 0) member.worker.ref();
      member.pending.set(id, (result) => {
        if (member.pending.size === 0) member.worker.unref();
        resolve(result === null ? null : { result, domains });
      });
      member.worker.postMessage(request, [bytes.buffer]);
    });
  }

  /** Stop every worker (at the end of the stream and on error). */
  async close(): Promise<void> {
    const members = this.#members.splice(0);
    for (const m of members) {
      m.state = 'gone';
      for (const settle of m.pending.values()) settle(null);
      m.pending.clear();
    }
    await Promise.all(members.map((m) => m.worker.terminate()));
  }
}
