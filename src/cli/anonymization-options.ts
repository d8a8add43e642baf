import type { Command } from 'commander';
import { PolicyError, UsageError } from '../errors/index.js';
import type { RestoreAnonymization } from '../pipeline/restore-input.js';
import type { StreamTransform } from '../pipeline/stream-transform.js';
import type { Logger } from './logger.js';
import { lastFillsFrom } from './project-options.js';

/** The flags that bind rules to a key and choose the deliberate, recorded opt-outs. */
export interface AnonymizerFlags {
  keyFile?: string;
  /** `--workers <n>` as typed (parse with {@link parseWorkers}). */
  workers?: string;
  insecureUnkeyed?: boolean;
  allowUnclassified?: boolean;
  dropOplog?: boolean;
}

/** The anonymization flags as commander parses them (`--no-anonymize` makes `anonymize` false). */
export interface AnonymizationFlags extends AnonymizerFlags {
  rules?: string;
  anonymize: boolean;
}

/** What the user chose: rules (bound to a key), an explicit opt-out, or nothing yet. */
export type AnonymizationRequest =
  | { readonly kind: 'rules'; readonly anonymizer: StreamTransform }
  | { readonly kind: 'none' }
  | { readonly kind: 'unspecified' };

/**
 * Add `--rules`, the key and opt-out flags, and `--no-anonymize` to a command. With `rulesFromConfig`,
 * `rules` of dbfork.yaml is the default of `--rules` (unless `--no-anonymize` is given).
 */
export function addAnonymizationOptions(command: Command, what: string, rulesFromConfig = true): Command {
  command.option(
    '--rules <file>',
    `anonymize ${what} with these rules (YAML or JSON; docs/anonymization.md)${rulesFromConfig ? '; default: rules of dbfork.yaml' : ''}`,
  );
  if (rulesFromConfig) lastFillsFrom(command, { kind: 'rules' });
  return addAnonymizerOptions(command).option(
    '--no-anonymize',
    `${what} raw (not anonymized) data: an explicit opt-out`,
  );
}

/**
 * Add `--key-file`, `--insecure-unkeyed`, `--allow-unclassified`, `--drop-oplog` and `--workers` to a
 * command.
 */
export function addAnonymizerOptions(command: Command): Command {
  return command
    .option('--key-file <file>', 'file holding the anonymization key (default: $DBFORK_ANONYMIZATION_KEY)')
    .option(
      '--workers <n>',
      'anonymize on n worker threads (default: the cores available; 1: in the main thread); the output is the same for any n',
    )
    .option('--insecure-unkeyed', 'anonymize without a key: plain SHA-256 (reversible by dictionary attack)')
    .option(
      '--allow-unclassified',
      'copy collections no rules key names raw instead of refusing (a deliberate one-off, recorded)',
    )
    .option('--drop-oplog', "leave a dump's oplog out (under rules it is rewritten otherwise)");
}

/**
 * Load the rules and the key the flags name, before anything is read or written.
 * @throws UsageError `CONFIG_CONFLICTING_OPTIONS` for `--rules` with `--no-anonymize`; rules-file
 *   errors (file:line); PolicyError `ANONYMIZATION_KEY_MISSING` without a key
 */
export async function resolveAnonymization(
  flags: AnonymizationFlags,
  logger: Logger,
): Promise<AnonymizationRequest> {
  assertOneChoice(flags);
  if (flags.rules === undefined) return flags.anonymize ? { kind: 'unspecified' } : { kind: 'none' };
  return { kind: 'rules', anonymizer: await loadStreamAnonymizer(flags.rules, flags, logger) };
}

/**
 * Fail closed: a copy of production data is anonymized unless the user explicitly opts out.
 * @throws PolicyError `ANONYMIZATION_REQUIRED` when neither `--rules` nor `--no-anonymize` was given
 */
export function requireAnonymizationChoice(
  request: AnonymizationRequest,
): Exclude<AnonymizationRequest, { kind: 'unspecified' }> {
  if (request.kind !== 'unspecified') return request;
  throw anonymizationRequired();
}

/**
 * `--rules` and `--no-anonymize` together.
 * @throws UsageError `CONFIG_CONFLICTING_OPTIONS`
 */
export function assertOneChoice(flags: Pick<AnonymizationFlags, 'rules' | 'anonymize'>): void {
  if (flags.rules !== undefined && !flags.anonymize) {
    throw new UsageError('CONFIG_CONFLICTING_OPTIONS', '--rules and --no-anonymize contradict each other', {
      hint: 'give one of them',
    });
  }
}

/** The refusal to copy production data when neither `--rules` nor `--no-anonymize` was given. */
export function anonymizationRequired(): PolicyError {
  return new PolicyError('ANONYMIZATION_REQUIRED', 'this copies production data: say how to anonymize it', {
    hint: 'give --rules <file> to anonymize (raw documents never leave the stream), or --no-anonymize to copy raw data deliberately',
    labels: ['noWritesPerformed'],
  });
}

/** The restore's form of a choice: rules, an explicit opt-out, or null for none made. */
export function restoreAnonymizationOf(request: AnonymizationRequest): RestoreAnonymization {
  if (request.kind === 'rules') return { rules: request.anonymizer };
  return request.kind === 'none' ? { none: true } : null;
}

/**
 * `--workers <n>`: a whole number ≥ 1, or undefined when not given (the default then applies).
 * @throws UsageError `CONFIG_BAD_OPTION` for anything else
 */
export function parseWorkers(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < 1 || n > MAX_WORKERS) {
    throw new UsageError(
      'CONFIG_BAD_OPTION',
      `--workers takes a whole number from 1 to ${MAX_WORKERS}, got ${text}`,
      {
        hint: 'e.g. --workers 4; without it, one worker per available core',
      },
    );
  }
  return n;
}

/** More rewrite workers than this only costs memory (each holds the engine, ~30 MB). */
const MAX_WORKERS = 256;

/**
 * Load a rules file and the key the flags name, behind the fail-closed gate (see
 * pipeline/load-anonymizer.ts); weakenings are logged as warnings.
 * @throws UsageError for rules-file errors (file:line); PolicyError `ANONYMIZATION_KEY_MISSING`
 */
export async function loadStreamAnonymizer(
  rulesPath: string,
  key: AnonymizerFlags,
  logger: Logger,
): Promise<StreamTransform> {
  const workers = parseWorkers(key.workers);
  const { loadAnonymizer } = await import('../pipeline/load-anonymizer.js');
  return loadAnonymizer(
    {
      rules: rulesPath,
      ...(workers === undefined ? {} : { workers }),
      ...(key.keyFile === undefined ? {} : { keyFile: key.keyFile }),
      insecureUnkeyed: Boolean(key.insecureUnkeyed),
      allowUnclassified: Boolean(key.allowUnclassified),
      dropOplog: Boolean(key.dropOplog),
    },
    (_code, message) => logger.warn(message),
  );
}
