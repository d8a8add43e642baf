import { renewLease, type SnapshotLease } from './snapshot-lease.js';

/** What a {@link LeaseKeeper} needs from its catalogue: read and write the lease object. */
export interface LeaseIo {
  read(): Promise<SnapshotLease | null>;
  write(lease: SnapshotLease): Promise<void>;
}

/**
 * Renews a snapshot's lease every `ttlMs / 3` while the snapshot is being written, so a writer that
 * dies stops renewing it and the lease lapses after at most `ttlMs`. The timer does not keep the
 * process alive. A renewal first checks that the lease is still this writer's: if it is gone (the
 * snapshot was removed as abandoned), the keeper stops and reports the lease as lost. A failed
 * renewal (store unreachable) is retried on the next tick.
 */
export class LeaseKeeper {
  #lease: SnapshotLease;
  #lost = false;
  #timer: NodeJS.Timeout | undefined;
  #inflight: Promise<void> = Promise.resolve();
  readonly #io: LeaseIo;
  readonly #ttlMs: number;
  readonly #now: () => Date;

  constructor(lease: SnapshotLease, io: LeaseIo, ttlMs: number, now: () => Date) {
    this.#lease = lease;
    this.#io = io;
    this.#ttlMs = ttlMs;
    this.#now = now;
    this.#timer = setInterval(
      () => {
        this.#inflight = this.#inflight.then(() => this.renew());
      },
      Math.max(1, Math.floor(ttlMs / 3)),
    );
    this.#timer.unref();
  }

  get lease(): SnapshotLease {
    return this.#lease;
  }

  /** True once a renewal found the lease gone or taken. */
  get lost(): boolean {
    return this.#lost;
  }

  /** Renew now (also what the timer does). Never throws. */
  async renew(): Promise<void> {
    if (this.#lost || this.#timer === undefined) return;
    try {
      const current = await this.#io.read();
      if (current?.owner !== this.#lease.owner) {
        this.#lost = true;
        return;
      }
      const next = renewLease(this.#lease, this.#now(), this.#ttlMs);
      await this.#io.write(next);
      this.#lease = next;
    } catch {
      // the store is unreachable for now: the next tick tries again, the lease has slack until then
    }
  }

  /** Stop renewing and wait for a renewal in flight, so none lands after the caller moves on. */
  async stop(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#inflight;
  }
}
