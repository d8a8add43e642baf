import { readFile } from 'node:fs/promises';
import { registerSecret } from '../core/redact.js';
import { PolicyError, UsageError } from '../errors/index.js';
import { keyedHasher, unkeyedHasher, type Hasher } from './hasher.js';

/** The environment variable holding the anonymization key. */
export const KEY_ENV = 'DBFORK_ANONYMIZATION_KEY';
/** Shortest accepted key, in bytes (128 bits: an empty or short salt is what lets a dictionary attack
 * reverse salted-hash pseudonyms). */
export const MIN_KEY_BYTES = 16;

export interface KeyOptions {
  /** A file holding the key (one trailing newline is ignored). Takes precedence over the environment. */
  readonly keyFile?: string;
  /** Allow running without a key: plain SHA-256, reversible by dictionary attack. */
  readonly insecureUnkeyed?: boolean;
  /** Where to look for {@link KEY_ENV} (default `process.env`). */
  readonly env?: NodeJS.ProcessEnv;
}

/**
 * Load the anonymization key and build the {@link Hasher}. The key is registered with
 * `registerSecret`, so it is scrubbed from anything dbfork prints; it is never logged or recorded
 * (manifests record the rules digest only).
 *
 * @throws PolicyError `ANONYMIZATION_KEY_MISSING` without a key and without `insecureUnkeyed`;
 *   `ANONYMIZATION_KEY_WEAK` for a key shorter than {@link MIN_KEY_BYTES} bytes
 * @throws UsageError `KEY_FILE_UNREADABLE`; `ANONYMIZATION_KEY_CONFLICT` for a key together with
 *   `insecureUnkeyed`
 */
export async function loadAnonymizationKey(options: KeyOptions = {}): Promise<Hasher> {
  const env = options.env ?? process.env;
  let key: Buffer | undefined;
  let from = '';
  if (options.keyFile !== undefined) {
    try {
      key = stripNewline(await readFile(options.keyFile));
    } catch (error) {
      throw new UsageError(
        'KEY_FILE_UNREADABLE',
        `cannot read key file ${options.keyFile}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`,
        {
          subject: { file: options.keyFile },
        },
      );
    }
    from = `key file ${options.keyFile}`;
  } else if (env[KEY_ENV] !== undefined && env[KEY_ENV] !== '') {
    key = Buffer.from(env[KEY_ENV] ?? '', 'utf8');
    from = KEY_ENV;
  }
  if (key) registerSecret(key.toString('utf8'));
  if (options.insecureUnkeyed) {
    if (key) {
      throw new UsageError(
        'ANONYMIZATION_KEY_CONFLICT',
        `--insecure-unkeyed was given together with a key (${from})`,
        {
          hint: 'drop --insecure-unkeyed to use the key, or unset the key to run unkeyed on purpose',
        },
      );
    }
    return unkeyedHasher();
  }
  if (!key || key.length === 0) {
    throw new PolicyError(
      'ANONYMIZATION_KEY_MISSING',
      'no anonymization key: refusing to pseudonymize without a secret',
      {
        hint: `set ${KEY_ENV} or pass --key-file (e.g. openssl rand -base64 32 > key); --insecure-unkeyed gives reversible plain hashes`,
      },
    );
  }
  if (key.length < MIN_KEY_BYTES) {
    throw new PolicyError(
      'ANONYMIZATION_KEY_WEAK',
      `the anonymization key from ${from} has ${key.length} bytes; at least ${MIN_KEY_BYTES} are required`,
      {
        hint: 'generate one with: openssl rand -base64 32',
      },
    );
  }
  return keyedHasher(key);
}

function stripNewline(data: Buffer): Buffer {
  let end = data.length;
  if (data[end - 1] === 0x0a) end--;
  if (data[end - 1] === 0x0d) end--;
  return data.subarray(0, end);
}
