import { UsageError } from '../errors/index.js';

/** A clock: the current instant. Injected where time decides something (ids, markers, ages). */
export type Clock = () => Date;

/** The variable that starts the process clock at a fixed instant. For tests only. */
export const TEST_NOW_VARIABLE = 'DBFORK_TEST_NOW';

/**
 * The process's clock. Normally the system clock; when `DBFORK_TEST_NOW` holds an ISO 8601 instant
 * (`2026-11-22T02:00:00Z`), a clock that starts at that instant when the process starts and then
 * advances with real time, so that tests of the CLI can run backups "on" chosen days. Test-only:
 * documented in docs/backups.md, never needed in production.
 *
 * @throws UsageError `CONFIG_BAD_OPTION` when the variable is set but not an instant
 */
export function processClock(env: NodeJS.ProcessEnv = process.env): Clock {
  const text = env[TEST_NOW_VARIABLE];
  if (text === undefined || text === '') return () => new Date();
  const fixed = Date.parse(text);
  if (Number.isNaN(fixed)) {
    throw new UsageError('CONFIG_BAD_OPTION', `${TEST_NOW_VARIABLE} is not an ISO 8601 instant: ${text}`);
  }
  const offset = fixed - Date.now();
  return () => new Date(Date.now() + offset);
}
