import type { MongoClientOptions } from 'mongodb';
import { DEFAULT_CONNECTION_TIMEOUTS, explicitConnectionTimeouts } from '../core/connection-timeouts.js';

type TimeoutOptions = Pick<
  MongoClientOptions,
  'socketTimeoutMS' | 'serverSelectionTimeoutMS' | 'connectTimeoutMS'
>;

/**
 * The driver's timeout options for a connection string: the run's flags first, else the URI's own
 * `socketTimeoutMS` / `serverSelectionTimeoutMS` / `connectTimeoutMS` (left to the driver, which reads
 * them from the URI), else dbfork's defaults (core/connection-timeouts.ts). `connectTimeoutMS` follows
 * the server selection timeout unless the URI sets it.
 *
 * @param callerSelectionMs - a caller's own server selection timeout (a probe), below the flag
 */
export function connectionTimeoutsFor(uri: string, callerSelectionMs?: number): TimeoutOptions {
  const flags = explicitConnectionTimeouts();
  const inUri = (name: string): boolean => new RegExp(`[?&]${name}=`, 'i').test(uri);
  const out: { -readonly [K in keyof TimeoutOptions]: TimeoutOptions[K] } = {};
  const selection =
    flags.serverSelectionTimeoutMs ??
    (inUri('serverSelectionTimeoutMS')
      ? undefined
      : (callerSelectionMs ?? DEFAULT_CONNECTION_TIMEOUTS.serverSelectionTimeoutMs));
  if (selection !== undefined) out.serverSelectionTimeoutMS = selection;
  if (!inUri('connectTimeoutMS') && selection !== undefined) out.connectTimeoutMS = selection;
  const socket =
    flags.socketTimeoutMs ??
    (inUri('socketTimeoutMS') ? undefined : DEFAULT_CONNECTION_TIMEOUTS.socketTimeoutMs);
  if (socket !== undefined) out.socketTimeoutMS = socket;
  return out;
}
