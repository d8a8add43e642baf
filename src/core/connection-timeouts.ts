/**
 * The database connection timeouts of one run, set once by the command line (`--socket-timeout`,
 * `--server-selection-timeout`) and read by every connection the run opens (source and target).
 * Precedence for each: the flag given on the command line, else the connection string's own option
 * (`socketTimeoutMS`, `serverSelectionTimeoutMS`), else the default below.
 */
export interface ConnectionTimeouts {
  /** How long one wait for a server's reply may last, in ms, before the connection is dropped. */
  readonly socketTimeoutMs?: number;
  /** How long to wait for a server to answer before the operation fails, in ms. */
  readonly serverSelectionTimeoutMs?: number;
}

/**
 * Defaults, in ms: 5 minutes for a reply (an index build on a large collection answers only when it is
 * done: raise it for those), 10 seconds to find a server.
 */
export const DEFAULT_CONNECTION_TIMEOUTS: Required<ConnectionTimeouts> = {
  socketTimeoutMs: 300_000,
  serverSelectionTimeoutMs: 10_000,
};

let explicit: ConnectionTimeouts = {};

/** Set the timeouts the command line gave (only those given; the others keep URI or default). */
export function setConnectionTimeouts(timeouts: ConnectionTimeouts): void {
  explicit = { ...timeouts };
}

/** The timeouts the command line gave, if any. */
export function explicitConnectionTimeouts(): ConnectionTimeouts {
  return explicit;
}
