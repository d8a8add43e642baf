import { watchLock, type AdminCommand, type WatchdogOutcome } from '../ebs/lock-watchdog.js';

/** What the parent writes on the watchdog's stdin (one JSON document), then closes it. */
export interface WatchdogOrder {
  /** The locked member's connection string, credentials included (never on the command line). */
  readonly uri: string;
  /** How long the lock may still be held, in ms. */
  readonly deadlineMs: number;
}

/** Open the member for the unlock: a connection of the watchdog's own. */
export type OpenAdmin = (uri: string) => Promise<{ run: AdminCommand; close(): Promise<void> }>;

/**
 * The body of the lock watchdog, a detached process of its own (`ebs-lock-watchdog.js`): read the
 * order from stdin, tell the parent it is watching (IPC `{ watching: true }`), then wait for the
 * parent's `{ release: true }`, the parent's end (IPC closed: exit, SIGTERM, SIGKILL) or the deadline;
 * on the last two, connect to the member and `fsyncUnlock` it until its lock count is 0 (three tries).
 *
 * @returns why it stopped; the process then exits (0 once unlocked or released, 1 otherwise)
 */
export async function runWatchdogProcess(openAdmin: OpenAdmin): Promise<WatchdogOutcome> {
  const order = JSON.parse(await readStdin()) as WatchdogOrder;
  const gone: (() => void)[] = [];
  process.on('disconnect', () => gone.forEach((f) => f()));
  const run: AdminCommand = async (command) => {
    let last: unknown;
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        const admin = await openAdmin(order.uri);
        try {
          return await admin.run(command);
        } finally {
          await admin.close();
        }
      } catch (error) {
        last = error;
        if (/not locked/i.test((error as Error).message)) throw error;
        await new Promise((r) => setTimeout(r, 1000 * (attempt + 1)));
      }
    }
    throw last;
  };
  const watching = watchLock(
    {
      onRelease: (listener) =>
        process.on('message', (m) => {
          if ((m as { release?: boolean }).release) listener();
        }),
      onParentGone: (listener) => {
        if (!process.connected) listener();
        else gone.push(listener);
      },
      setTimer: (listener, ms) => {
        const t = setTimeout(listener, ms);
        return { clear: () => clearTimeout(t) };
      },
    },
    order.deadlineMs,
    run,
  );
  process.send?.({ watching: true });
  const { outcome, lockCount } = await watching;
  if (process.connected) process.disconnect();
  process.exitCode = lockCount === 0 ? 0 : 1;
  return outcome;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
