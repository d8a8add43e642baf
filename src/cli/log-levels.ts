import type { LevelWithSilent } from 'pino';

/** The logger's levels, for `--log-level` (a type-only import: help does not load the logger). */
export const LOG_LEVELS: readonly LevelWithSilent[] = [
  'trace',
  'debug',
  'info',
  'warn',
  'error',
  'fatal',
  'silent',
];
