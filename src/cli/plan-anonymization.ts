import { resolve } from 'node:path';
import type { AnonymizationParam } from '../pipeline/operations/anonymization-param.js';
import { KEY_ENV } from '../transform/load-anonymization-key.js';
import {
  anonymizationRequired,
  assertOneChoice,
  parseWorkers,
  type AnonymizationFlags,
} from './anonymization-options.js';

/**
 * The anonymization flags as plan data, without loading anything: the rules file's absolute path and
 * where the key is (`--key-file`, else `$DBFORK_ANONYMIZATION_KEY`), `none` for `--no-anonymize`, or
 * null when nothing was chosen.
 *
 * @throws UsageError `CONFIG_CONFLICTING_OPTIONS` for `--rules` with `--no-anonymize`; PolicyError
 *   `ANONYMIZATION_REQUIRED` when `required` and nothing was chosen
 */
export function anonymizationParam(
  flags: AnonymizationFlags,
  required: true,
): NonNullable<AnonymizationParam>;
export function anonymizationParam(flags: AnonymizationFlags, required: false): AnonymizationParam;
export function anonymizationParam(flags: AnonymizationFlags, required: boolean): AnonymizationParam {
  assertOneChoice(flags);
  if (flags.rules !== undefined) {
    const workers = parseWorkers(flags.workers);
    return {
      rules: resolve(flags.rules),
      key: flags.keyFile !== undefined ? { file: resolve(flags.keyFile) } : { env: KEY_ENV },
      insecureUnkeyed: Boolean(flags.insecureUnkeyed),
      allowUnclassified: Boolean(flags.allowUnclassified),
      dropOplog: Boolean(flags.dropOplog),
      ...(workers === undefined ? {} : { workers }),
    };
  }
  if (!flags.anonymize) return { none: true };
  if (!required) return null;
  throw anonymizationRequired();
}
