import { Option, type Command } from 'commander';
import type { DumpFormat } from '../archive/open-dump.js';
import { DEFAULT_CONNECTION_TIMEOUTS, type ConnectionTimeouts } from '../core/connection-timeouts.js';
import { formatDuration, parseDuration } from '../core/duration.js';
import { registerUriSecrets } from '../core/redact.js';
import { UsageError } from '../errors/index.js';
import { READ_PREFERENCES, type ReadPreference } from '../source/snapshot-source.js';
import { defaultStoreUrl } from '../store/open-snapshot-store.js';
import type { RetentionPolicy } from '../store/retention.js';
import { fillsFrom } from './project-options.js';

/**
 * The option groups several commands share, each defined and validated in one place: repeatable
 * values, counts, the dump format, the snapshot store, the read preference, and the restore's load
 * tuning.
 */

/** Commander's accumulator for a repeatable option (`--include a --include b`). */
export const collect = (value: string, previous: string[]): string[] => [...previous, value];

/**
 * A whole-number flag value (decimal digits only), at least `min` (default 1).
 * @throws UsageError `CONFIG_BAD_OPTION` naming the flag
 */
export function parseCount(text: string, flag: string, min = 1): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < min) {
    throw new UsageError('CONFIG_BAD_OPTION', `${flag} takes a whole number ≥ ${min}, got ${text}`);
  }
  return n;
}

/**
 * `--format archive|directory`.
 * @throws UsageError `CONFIG_BAD_OPTION` for anything else
 */
export function parseFormat(text: string): DumpFormat {
  if (text === 'archive' || text === 'directory') return text;
  throw new UsageError('CONFIG_BAD_OPTION', `--format must be archive or directory, got ${text}`);
}

/**
 * `--store <url>`: the snapshot store, with its default (`$DBFORK_STORE`, else `store` of dbfork.yaml,
 * else under the home folder).
 */
export function storeOption(what = 'snapshot store URL'): Option {
  return fillsFrom(
    new Option(
      '--store <url>',
      `${what} (default $DBFORK_STORE, else store of dbfork.yaml, else ${defaultStoreUrl()})`,
    ),
    { kind: 'store' },
  );
}

/** Add `--read-preference <mode>` (default `secondaryPreferred`) to a command that reads a source. */
export function addReadPreferenceOption(command: Command): Command {
  return command.option(
    '--read-preference <mode>',
    `source read preference: ${READ_PREFERENCES.join(', ')}`,
    'secondaryPreferred',
  );
}

/**
 * `--read-preference <mode>`.
 * @throws UsageError `CONFIG_BAD_OPTION` for a mode MongoDB does not have
 */
export function parseReadPreference(text: string): ReadPreference {
  const mode = READ_PREFERENCES.find((m) => m === text);
  if (mode !== undefined) return mode;
  throw new UsageError(
    'CONFIG_BAD_OPTION',
    `--read-preference must be one of ${READ_PREFERENCES.join(', ')}, got ${text}`,
  );
}

/** The load-tuning flags as commander parses them. */
export interface LoadFlags {
  strictIndexes?: boolean;
  parallelCollections: string;
  insertWorkers: string;
  requireSameKey?: boolean;
}

/** The load tuning, validated. */
export interface LoadTuning {
  readonly strictIndexes: boolean;
  readonly parallelCollections: number;
  readonly insertWorkers: number;
  readonly requireSameKey: boolean;
}

/** Add the restore's load-tuning flags to a command that loads a target (restore, refresh). */
export function addLoadOptions(command: Command): Command {
  return command
    .option('--strict-indexes', 'fail when the target refuses an index (default: warn and go on)')
    .option('--require-same-key', 'refuse when the target holds data anonymized with another key')
    .option('--parallel-collections <n>', 'collections loading and finishing at once', '4')
    .option('--insert-workers <n>', 'insert batches in flight at once', '4');
}

/** @throws UsageError `CONFIG_BAD_OPTION` for a count that is not a whole number ≥ 1 */
export function loadTuningFrom(flags: LoadFlags): LoadTuning {
  return {
    strictIndexes: Boolean(flags.strictIndexes),
    parallelCollections: parseCount(flags.parallelCollections, '--parallel-collections'),
    insertWorkers: parseCount(flags.insertWorkers, '--insert-workers'),
    requireSameKey: Boolean(flags.requireSameKey),
  };
}

/** `--recipient <age1…>`, repeatable: encrypt what is stored to these age public keys. */
export function addRecipientOption(command: Command): Command {
  return command.option(
    '--recipient <age1…>',
    'encrypt every stored object to this age recipient (repeatable; from `dbfork keygen`)',
    collect,
    [],
  );
}

/**
 * `--no-objcheck`: skip the structural BSON check of every document read (on by default; see
 * docs/archive-format.md). Commander sets `objcheck: false`.
 */
export function addObjcheckOption(command: Command): Command {
  return command.option(
    '--no-objcheck',
    'skip the structural BSON check of each document read (faster; damaged documents of namespaces without rules then pass unparsed)',
  );
}

/** `--identity <file>`: the age identity file that decrypts an encrypted snapshot. */
export function addIdentityOption(command: Command): Command {
  return command.option(
    '--identity <file>',
    'age identity file (AGE-SECRET-KEY-1… lines) to decrypt an encrypted snapshot or dump',
  );
}

/** The recipients given, checked as age public keys up front (before anything is read). */
export function parseRecipients(values: readonly string[]): string[] {
  for (const value of values)
    if (!/^age1[0-9a-z]+$/.test(value))
      throw new UsageError('ENCRYPTION_BAD_RECIPIENT', '--recipient is not an age recipient', {
        subject: { recipient: value },
        hint: 'an age recipient starts with age1 (from `dbfork keygen` or age-keygen -y)',
      });
  return [...values];
}

/** The retention flags as commander parses them. */
export interface RetentionFlags {
  keepLast?: string;
  keepDaily?: string;
  keepWeekly?: string;
  keepMonthly?: string;
}

/** Add `--keep-last/-daily/-weekly/-monthly <n>`, the retention policy (snapshot prune, store lifecycle). */
export function addRetentionOptions(command: Command): Command {
  return command
    .option('--keep-last <n>', 'keep the n newest')
    .option('--keep-daily <n>', 'keep the newest of each of the n most recent days')
    .option('--keep-weekly <n>', 'keep the newest of each of the n most recent ISO weeks')
    .option('--keep-monthly <n>', 'keep the newest of each of the n most recent months');
}

/**
 * The retention policy of the flags (counts ≥ 0); with `required`, at least one flag.
 * @throws UsageError `CONFIG_BAD_OPTION` for a count that is not a whole number, or no policy when required
 */
export function retentionPolicyFrom(flags: RetentionFlags, required: boolean): RetentionPolicy {
  const n = (flag: string, value: string | undefined): number | undefined =>
    value === undefined ? undefined : parseCount(value, flag, 0);
  const policy: RetentionPolicy = {
    last: n('--keep-last', flags.keepLast),
    daily: n('--keep-daily', flags.keepDaily),
    weekly: n('--keep-weekly', flags.keepWeekly),
    monthly: n('--keep-monthly', flags.keepMonthly),
  };
  if (required && Object.values(policy).every((v) => v === undefined)) {
    throw new UsageError('CONFIG_BAD_OPTION', 'prune needs a retention policy', {
      hint: 'e.g. --keep-daily 7 --keep-weekly 4 (a week of dailies, a month of weeklies), or --keep-last 10',
    });
  }
  return policy;
}

/** The metrics flags as commander parses them. */
export interface MetricsFlags {
  metricsTextfile?: string;
  pushgateway?: string;
}

/** Where a run's metrics go, validated. */
export interface MetricsTargets {
  /** node_exporter textfile collector file (`*.prom`), replaced atomically. */
  readonly textfile?: string;
  /** Pushgateway base URL (`http(s)://host:port[/path]`). */
  readonly pushgateway?: string;
}

/** Add `--metrics-textfile <path>` and `--pushgateway <url>` to a long-running command. */
export function addMetricsOptions(command: Command): Command {
  return command
    .option(
      '--metrics-textfile <path>',
      'write Prometheus metrics of this run to a node_exporter textfile (*.prom), atomically',
    )
    .option('--pushgateway <url>', 'push Prometheus metrics of this run to a Pushgateway (job dbfork)');
}

/**
 * @throws UsageError `CONFIG_BAD_OPTION` for a textfile not named `*.prom` (the collector reads only
 *   those) or a Pushgateway URL that is not http(s)
 */
export function metricsTargetsFrom(flags: MetricsFlags): MetricsTargets {
  const { metricsTextfile: textfile, pushgateway } = flags;
  if (textfile !== undefined && !textfile.endsWith('.prom')) {
    throw new UsageError('CONFIG_BAD_OPTION', `--metrics-textfile must end in .prom, got ${textfile}`, {
      hint: "node_exporter's textfile collector reads only *.prom files",
    });
  }
  if (pushgateway !== undefined) {
    registerUriSecrets(pushgateway);
    let protocol = '';
    try {
      protocol = new URL(pushgateway).protocol;
    } catch {
      // reported below
    }
    if (protocol !== 'http:' && protocol !== 'https:')
      throw new UsageError('CONFIG_BAD_OPTION', `--pushgateway takes an http(s) URL, got ${pushgateway}`, {
        hint: 'e.g. --pushgateway http://pushgateway:9091',
      });
  }
  return { ...(textfile ? { textfile } : {}), ...(pushgateway ? { pushgateway } : {}) };
}

/**
 * `--socket-timeout <duration>` and `--server-selection-timeout <duration>`: global options for every
 * database connection of the run. Unset, a connection string's `socketTimeoutMS` /
 * `serverSelectionTimeoutMS` apply, else the defaults of core/connection-timeouts.ts (5m, 10s).
 */
export function connectionTimeoutOptions(): Option[] {
  const { socketTimeoutMs, serverSelectionTimeoutMs } = DEFAULT_CONNECTION_TIMEOUTS;
  return [
    new Option(
      '--socket-timeout <duration>',
      `longest wait for one database reply before the connection is dropped and the read retried (default: the URI's socketTimeoutMS, else ${formatDuration(socketTimeoutMs)})`,
    ),
    new Option(
      '--server-selection-timeout <duration>',
      `longest wait for a database server to answer (default: the URI's serverSelectionTimeoutMS, else ${formatDuration(serverSelectionTimeoutMs)})`,
    ),
  ];
}

/**
 * The run's connection timeouts from the parsed global options (only those given).
 * @throws UsageError `CONFIG_BAD_DURATION` naming the flag; `CONFIG_BAD_OPTION` for zero
 */
export function parseConnectionTimeouts(flags: {
  socketTimeout?: string;
  serverSelectionTimeout?: string;
}): ConnectionTimeouts {
  const parse = (text: string, flag: string): number => {
    const ms = parseDuration(text, flag);
    if (ms < 1) throw new UsageError('CONFIG_BAD_OPTION', `${flag} must be longer than 0, got ${text}`);
    return ms;
  };
  return {
    ...(flags.socketTimeout === undefined
      ? {}
      : { socketTimeoutMs: parse(flags.socketTimeout, '--socket-timeout') }),
    ...(flags.serverSelectionTimeout === undefined
      ? {}
      : {
          serverSelectionTimeoutMs: parse(flags.serverSelectionTimeout, '--server-selection-timeout'),
        }),
  };
}
