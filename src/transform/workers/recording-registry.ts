import { TransformError } from '../../errors/index.js';
import { UniquenessRegistry } from '../uniqueness-registry.js';

/** The uniqueness claims one batch made, in call order (appended to by every registry of a worker). */
export class ClaimLog {
  domains: number[] = [];
  outputs: string[] = [];
  originals: string[] = [];
  accepted: number[] = [];

  get length(): number {
    return this.domains.length;
  }

  record(domain: number, output: string, original: string, accepted: boolean): void {
    this.domains.push(domain);
    this.outputs.push(output);
    this.originals.push(original);
    this.accepted.push(accepted ? 1 : 0);
  }

  /** Forget the claims after the first `length` (a document whose rewrite failed). */
  truncate(length: number): void {
    this.domains.length = length;
    this.outputs.length = length;
    this.originals.length = length;
    this.accepted.length = length;
  }

  clear(): void {
    this.truncate(0);
  }
}

/**
 * A worker's stand-in for a domain's uniqueness registry: it answers from the worker's own earlier
 * claims (a guess: other workers' claims are unknown here) and records every call, so the main thread
 * can replay the same calls against the true registry and keep the result only when every answer
 * agrees. When its memory is full it answers "free" without remembering: the true registry decides.
 */
export class RecordingRegistry extends UniquenessRegistry {
  readonly #domain: number;
  readonly #log: ClaimLog;

  constructor(label: string, maxEntries: number, domain: number, log: ClaimLog) {
    super(label, maxEntries);
    this.#domain = domain;
    this.#log = log;
  }

  override claim(outKey: string, origKey: string): boolean {
    let accepted: boolean;
    try {
      accepted = super.claim(outKey, origKey);
    } catch (error) {
      if (!(error instanceof TransformError) || error.code !== 'TRANSFORM_UNIQUE_MEMORY') throw error;
      accepted = true;
    }
    this.#log.record(this.#domain, outKey, origKey, accepted);
    return accepted;
  }
}
