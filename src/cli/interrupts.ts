import { EXIT_INTERRUPTED } from '../errors/index.js';

const SIGNALS = ['SIGINT', 'SIGTERM'] as const;

function onInterrupt(signal: NodeJS.Signals): void {
  process.stderr.write(
    `dbfork: interrupted (${signal}); incomplete snapshots are never listed as complete, and a rerun of a restore finishes or rolls back\n`,
  );
  process.exit(EXIT_INTERRUPTED);
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
