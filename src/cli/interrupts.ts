import { EXIT_INTERRUPTED } from '../errors/index.js';

const SIGNALS = ['SIGINT', 'SIGTERM'] as const;

/** The longest an interrupted run waits for its last words (audit end record, notifications), in ms. */
const LAST_WORDS_MS = 5000;

let lastWords: (() => Promise<void>) | null = null;

function onInterrupt(signal: NodeJS.Signals): void {
  process.stderr.write(
    `dbfork: interrupted (${signal}); incomplete snapshots are never listed as complete, and a rerun of a restore finishes or rolls back\n`,
  );
  const exit = (): never => process.exit(EXIT_INTERRUPTED);
  if (lastWords === null) exit();
  setTimeout(exit, LAST_WORDS_MS).unref();
  void lastWords!().finally(exit);
}

/**
 * What an interrupted run does before it exits (at most 5 s; a second signal kills it at once): the
 * audit trail's `interrupted` record and the notifications. The last call wins.
 */
export function beforeInterruptExit(hook: () => Promise<void>): void {
  lastWords = hook;
}

/**
 * Ctrl-C or SIGTERM: stop at once with exit code 130. Nothing needs unwinding: a snapshot is complete
 * only once its manifest is written, and a restore swaps a collection only after verifying it, with a
 * journal the next run rolls forward or back.
 */
export function exitOnInterrupt(): void {
  for (const signal of SIGNALS) process.once(signal, onInterrupt);
}

/**
 * Replace {@link exitOnInterrupt} with a command's own handling (the scheduler stops ticking and lets
 * its run end first). `handler` is called for every SIGINT and SIGTERM.
 */
export function handleInterrupts(handler: (signal: NodeJS.Signals) => void): void {
  for (const signal of SIGNALS) {
    process.removeListener(signal, onInterrupt);
    process.on(signal, handler);
  }
}
