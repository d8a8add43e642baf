/**
 * A counting semaphore: at most `permits` holders at once; waiters are served in arrival order.
 * The restore's bound on in-flight work (insert batches, collection finalizations).
 */
export class Semaphore {
  #free: number;
  readonly #waiters: (() => void)[] = [];

  constructor(permits: number) {
    this.#free = Math.max(1, Math.floor(permits));
  }

  /** Wait for a permit; call the returned function exactly once to give it back. */
  async acquire(): Promise<() => void> {
    if (this.#free > 0) this.#free--;
    else await new Promise<void>((resolve) => this.#waiters.push(resolve));
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.#waiters.shift();
      if (next) next();
      else this.#free++;
    };
  }
}
