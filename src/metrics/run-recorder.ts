import type { RunFigures, RunLabels, RunOutcome, RunReport } from './run-report.js';

/**
 * Collects one run's report as it goes: started when made, given figures from the command's result,
 * finished with its outcome.
 */
export class RunRecorder {
  #labels: RunLabels;
  readonly #now: () => Date;
  readonly #startedAt: Date;
  #figures: RunFigures | undefined;
  #store: RunReport['store'];

  /** @param now - the clock (tests pass a fixed one) */
  constructor(labels: RunLabels, now: () => Date = () => new Date()) {
    this.#labels = labels;
    this.#now = now;
    this.#startedAt = now();
  }

  /** The run's labels so far. */
  get labels(): RunLabels {
    return this.#labels;
  }

  /** Name the run's database once it is known (a plan names it only once read). */
  database(database: string): void {
    this.#labels = { ...this.#labels, database };
  }

  /** Record the run's figures (the last call wins). */
  figures(figures: RunFigures): void {
    this.#figures = figures;
  }

  /** Record what the store holds after the run: complete snapshots and their stored bytes. */
  storeUsage(usage: { readonly snapshots: number; readonly bytes: number }): void {
    this.#store = usage;
  }

  /** The report of the run, ended now. */
  finish(outcome: RunOutcome): RunReport {
    return {
      ...this.#labels,
      outcome,
      startedAt: this.#startedAt,
      finishedAt: this.#now(),
      ...(this.#figures ? { figures: this.#figures } : {}),
      ...(this.#store ? { store: this.#store } : {}),
    };
  }
}
