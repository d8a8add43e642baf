import { readFile } from 'node:fs/promises';
import { registerSecret } from '../../core/redact.js';
import { UsageError } from '../../errors/index.js';

/**
 * The age identities in identity files, as `age-keygen` writes them: one `AGE-SECRET-KEY-1…` per
 * line, `#` comments and blank lines ignored. Every identity is registered as a secret, so no
 * message prints it.
 *
 * @throws UsageError `IDENTITY_FILE_UNREADABLE` when a file cannot be read or holds no identity
 */
export async function loadIdentityFiles(files: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      throw unreadable(file, `cannot read it: ${(error as Error).message}`, error);
    }
    const keys = text
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter((l) => l.startsWith('AGE-SECRET-KEY-1'));
    if (keys.length === 0) throw unreadable(file, 'it holds no AGE-SECRET-KEY-1… line');
    keys.forEach((k) => registerSecret(k));
    out.push(...keys);
  }
  return out;
}

function unreadable(file: string, why: string, cause?: unknown): UsageError {
  return new UsageError('IDENTITY_FILE_UNREADABLE', `--identity ${file}: ${why}`, {
    subject: { file },
    hint: '`dbfork keygen` (or age-keygen) writes an identity file',
    ...(cause === undefined ? {} : { cause }),
  });
}
