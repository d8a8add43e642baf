/**
 * The error taxonomy: every dbfork error belongs to one fault category, which says who has to act,
 * and carries a stable code. Codes never change meaning once released; docs/errors.md lists them.
 *
 * | category  | who is at fault                                   | exit code |
 * |-----------|---------------------------------------------------|-----------|
 * | usage     | the caller: flags, config, rules files            | 2         |
 * | source    | the source server (unreachable, refused a read)   | 3         |
 * | archive   | an archive or dump (corrupt, truncated, bad CRC)  | 4         |
 * | transform | anonymization (type mismatch, collision)          | 5         |
 * | store     | the snapshot store (missing, unreadable)          | 6         |
 * | target    | the target server (write failed, verify failed)   | 7         |
 * | policy    | a safety rule refused (target guard, unkeyed run) | 8         |
 * | internal  | a bug in dbfork                                   | 70        |
 */
export type ErrorCategory =
  'usage' | 'source' | 'archive' | 'transform' | 'store' | 'target' | 'policy' | 'internal';

/** Exit codes by category, mapped in this one place (sysexits-style 70 for bugs). */
export const EXIT_CODES: Readonly<Record<ErrorCategory, number>> = Object.freeze({
  usage: 2,
  source: 3,
  archive: 4,
  transform: 5,
  store: 6,
  target: 7,
  policy: 8,
  internal: 70,
});

/** Exit code for a command that ran fine but has findings (scan, verify). */
export const EXIT_FINDINGS = 1;
/** Exit code after SIGINT/SIGTERM. */
export const EXIT_INTERRUPTED = 130;
