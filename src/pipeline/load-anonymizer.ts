import { availableParallelism } from 'node:os';
import type { ClassificationOptions } from '../policy/namespace-policy.js';
import type { StreamTransform } from './stream-transform.js';

/** Where the rules and the key come from, and the deliberate opt-outs of the run. */
export interface AnonymizerSource extends ClassificationOptions {
  /** Path of the rules file (YAML or JSON). */
  readonly rules: string;
  /** A file holding the key; else the key comes from `env`. */
  readonly keyFile?: string;
  /** Variables to read the key from (default: the process environment). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Run without a key (plain SHA-256, reversible by dictionary attack). */
  readonly insecureUnkeyed?: boolean;
  /**
   * Rewrite worker threads (default: {@link defaultWorkers}, the cores available); 1 rewrites in
   * this thread. The output is the same byte for byte whatever the count.
   */
  readonly workers?: number;
}

/**
 * Environment variable: documents rewritten in thread before the workers start (default 2048), so
 * small inputs never pay the workers' start-up.
 */
const WORKERS_START_AFTER_ENV = 'DBFORK_WORKERS_START_AFTER';

/** The default number of rewrite workers: `os.availableParallelism()`. */
function defaultWorkers(): number {
  return availableParallelism();
}

/**
 * Load a rules file and the key, and bind them behind the fail-closed gate. Loaded on demand: the
 * transform engine (with faker's locale data) costs ~30 MB and ~150 ms at start-up, which commands
 * without rules should not pay. Every weakening the run carries (unkeyed, `strict: false`,
 * `--allow-unclassified`) is reported through `warn` before anything is read.
 *
 * @throws UsageError for rules-file errors (file:line) and `KEY_FILE_UNREADABLE`; PolicyError
 *   `ANONYMIZATION_KEY_MISSING` / `ANONYMIZATION_KEY_WEAK`
 */
export async function loadAnonymizer(
  source: AnonymizerSource,
  warn: (code: string, message: string) => void,
): Promise<StreamTransform> {
  const [{ loadRules }, { loadAnonymizationKey, KEY_ENV }, { failClosedAnonymizer }] = await Promise.all([
    import('../config/load-rules.js'),
    import('../transform/load-anonymization-key.js'),
    import('./fail-closed-anonymizer.js'),
  ]);
  const rules = await loadRules(source.rules);
  const hasher = await loadAnonymizationKey({
    ...(source.keyFile === undefined ? {} : { keyFile: source.keyFile }),
    ...(source.env === undefined ? {} : { env: source.env }),
    insecureUnkeyed: Boolean(source.insecureUnkeyed),
  });
  if (!hasher.keyed) {
    warn(
      'ANONYMIZATION_UNKEYED',
      'anonymizing WITHOUT a key (--insecure-unkeyed): pseudonyms can be reversed by a dictionary attack',
    );
  }
  if (!rules.rules.strict) {
    warn(
      'ANONYMIZATION_NOT_STRICT',
      'field strictness is off (strict: false): unclassified fields are copied unchanged',
    );
  }
  if (source.allowUnclassified) {
    warn(
      'ANONYMIZATION_UNCLASSIFIED_ALLOWED',
      '--allow-unclassified: collections no rules key names are copied raw',
    );
  }
  const key = (source.env ?? process.env)[KEY_ENV];
  const startAfter = process.env[WORKERS_START_AFTER_ENV];
  return failClosedAnonymizer(
    rules,
    hasher,
    {
      allowUnclassified: Boolean(source.allowUnclassified),
      dropOplog: Boolean(source.dropOplog),
    },
    {
      count: source.workers ?? defaultWorkers(),
      key: {
        ...(source.keyFile !== undefined ? { keyFile: source.keyFile } : key ? { key } : {}),
        insecureUnkeyed: Boolean(source.insecureUnkeyed),
      },
      ...(startAfter !== undefined && /^\d+$/.test(startAfter) ? { startAfter: Number(startAfter) } : {}),
    },
  );
}
