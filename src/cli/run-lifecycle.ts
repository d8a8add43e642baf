import type { DbforkError } from '../errors/index.js';
import type { RunRecorder } from '../metrics/run-recorder.js';
import type { RunFigures } from '../metrics/run-report.js';

/** How a command run ended, as the shell saw it. */
export interface RunEnd {
  readonly outcome: 'succeeded' | 'failed' | 'interrupted';
  readonly error?: DbforkError;
}

/**
 * One command run seen from outside the command: what should happen once it ends (its audit end
 * record, its notifications), and the figures its metrics recorder collected. `runCli` ends it
 * once, with the outcome; an interrupt (SIGINT, SIGTERM) ends it as `interrupted`.
 */
export class RunLifecycle {
  readonly #finishers: ((end: RunEnd) => Promise<void>)[] = [];
  #recorder: RunRecorder | undefined;
  readonly #notes: Record<string, unknown> = {};
  #finished = false;

  /** Run `finisher` when the run ends (in the order added; a failing one does not stop the next). */
  onFinish(finisher: (end: RunEnd) => Promise<void>): void {
    this.#finishers.push(finisher);
  }

  /** The recorder the command's metrics use: its figures go into the end record and notifications. */
  watch(recorder: RunRecorder): void {
    this.#recorder = recorder;
  }

  /**
   * What the command learnt while it ran and its end record should say, e.g. the snapshot it
   * created (`{ snapshot: 'prod@2026…' }`). Never a secret (it is scrubbed anyway).
   */
  note(facts: Record<string, unknown>): void {
    Object.assign(this.#notes, facts);
  }

  /** Everything {@link note}d so far. */
  get notes(): Readonly<Record<string, unknown>> {
    return this.#notes;
  }

  /** The figures the command recorded so far, if any. */
  get figures(): RunFigures | undefined {
    return this.#recorder?.finish('success').figures;
  }

  /** End the run (only the first call does anything). */
  async finish(end: RunEnd): Promise<void> {
    if (this.#finished) return;
    this.#finished = true;
    for (const finisher of this.#finishers) await finisher(end).catch(() => undefined);
  }
}
