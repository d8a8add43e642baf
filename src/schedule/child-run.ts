import { spawn } from 'node:child_process';
import type { DbforkInvocation } from './scheduled-command.js';

/** How a child run ended: its exit code, or the signal that ended it. */
export interface ChildExit {
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** A dbfork child process that runs. */
export interface ChildRun {
  readonly pid: number | undefined;
  /** Settles when the child has ended (a failure to start is an exit with code null). */
  readonly done: Promise<ChildExit>;
  /** Forward a signal to the child. */
  kill(signal: NodeJS.Signals): void;
}

/** Starts one run of the scheduled command (a seam: tests of the scheduler may pass their own). */
export type StartRun = () => ChildRun;

/**
 * Start `dbfork <args>` as a child process: the same Node and CLI entry as this process, stdin
 * closed, stdout and stderr shared (its logs go where the scheduler's go), environment inherited.
 */
export function startDbforkChild(invocation: DbforkInvocation, args: readonly string[]): ChildRun {
  const child = spawn(invocation.program, [invocation.entry, ...args], {
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const done = new Promise<ChildExit>((resolve) => {
    child.once('error', () => resolve({ exitCode: null, signal: null }));
    child.once('exit', (exitCode, signal) => resolve({ exitCode, signal }));
  });
  return { pid: child.pid, done, kill: (signal) => child.kill(signal) };
}
