import { readFile } from 'node:fs/promises';
import { UsageError } from '../errors/index.js';

const IDENTITY_LINE = /^AGE-SECRET-KEY-(PQ-)?1[0-9A-Z]+$/;

/**
 * Read an age identity file as age-keygen writes it: one `AGE-SECRET-KEY-1…` line per identity,
 * `#` comments and blank lines ignored. The keys are returned, never logged.
 *
 * @param path the file (its path may appear in errors; its content never does)
 * @throws UsageError `DECRYPTION_BAD_IDENTITY` when the file cannot be read or holds no identity
 */
export async function readIdentityFile(path: string): Promise<string[]> {
  const text = await readFile(path, 'utf8').catch((cause: unknown) => {
    throw new UsageError('DECRYPTION_BAD_IDENTITY', `cannot read the identity file ${path}`, {
      subject: { file: path },
      hint: 'give --identity <file> with the AGE-SECRET-KEY-1… line printed by `dbfork keygen`',
      cause,
    });
  });
  const lines = text.split(/\r?\n/).map((line) => line.trim());
  const identities = lines.filter((line) => IDENTITY_LINE.test(line));
  const other = lines.filter((line) => line !== '' && !line.startsWith('#') && !IDENTITY_LINE.test(line));
  if (identities.length === 0 || other.length > 0)
    throw new UsageError('DECRYPTION_BAD_IDENTITY', `${path} is not an age identity file`, {
      subject: { file: path },
      hint: 'an identity file holds AGE-SECRET-KEY-1… lines and # comments only (from `dbfork keygen` or age-keygen)',
    });
  return identities;
}
