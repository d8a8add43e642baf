import { crashPoint } from '../core/crash-point.js';
import { TargetError } from '../errors/index.js';
import type { SwapStrategy } from '../target/swap-strategy.js';
import type { JournalEntry } from '../target/target-journal.js';
import type { CommandRunner } from './command-runner.js';

/** The server operations a swap needs, for one target db. */
export interface SwapOps {
  readonly db: string;
  readonly run: CommandRunner;
  exists(collection: string): Promise<boolean>;
}

/**
 * Bring one collection to "swapped" from whatever state a run (this one or a crashed one) left it in.
 * Idempotent: each step is decided by which of temp, target and aside exist, so calling it again after
 * a crash at any point finishes the job.
 *
 * @throws TargetError `TARGET_SWAP_CONFLICT` when target and aside both exist beside the temp (something
 *   recreated the target inside the window), `TARGET_SWAP_FAILED` when the server refuses a step
 */
export async function swapCollection(
  ops: SwapOps,
  entry: JournalEntry,
  strategy: SwapStrategy,
): Promise<void> {
  const ns = (c: string): string => `${ops.db}.${c}`;
  const rename = async (from: string, to: string, dropTarget: boolean): Promise<void> => {
    try {
      await ops.run('admin', {
        renameCollection: ns(from),
        to: ns(to),
        ...(dropTarget ? { dropTarget: true } : {}),
      });
    } catch (error) {
      throw new TargetError(
        'TARGET_SWAP_FAILED',
        `renaming ${ns(from)} to ${ns(to)} failed: ${(error as Error).message}`,
        {
          hint: 'rerun the same restore: the journal lets it finish the swap',
          subject: { namespace: ns(to) },
          labels: ['partialWrite'],
          cause: error,
        },
      );
    }
  };
  if (await ops.exists(entry.temp)) {
    if (strategy === 'rename-drop-target') {
      await rename(entry.temp, entry.target, true);
    } else {
      if (await ops.exists(entry.target)) {
        if (await ops.exists(entry.aside)) {
          throw new TargetError(
            'TARGET_SWAP_CONFLICT',
            `${ns(entry.target)} was recreated while its old data was set aside as ${entry.aside}`,
            {
              hint: `stop writers to ${ops.db}, drop the recreated ${entry.target} (or rename it away), then rerun`,
              subject: { namespace: ns(entry.target) },
              labels: ['partialWrite'],
            },
          );
        }
        await rename(entry.target, entry.aside, false);
        crashPoint('restore:swap-aside');
      }
      await rename(entry.temp, entry.target, false);
    }
    crashPoint('restore:swap-renamed');
  }
  if (await ops.exists(entry.aside)) await ops.run(ops.db, { drop: entry.aside });
}

/** Undo a run that never reached its commit point: drop its temporaries; the targets were not touched. */
export async function rollBackCollection(ops: SwapOps, entry: JournalEntry): Promise<void> {
  if (await ops.exists(entry.temp)) await ops.run(ops.db, { drop: entry.temp });
}
