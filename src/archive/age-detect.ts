import { UsageError } from '../errors/index.js';
import { peekPrefix } from '../streams/peek-prefix.js';

/**
 * The first line of every age-encrypted file (https://age-encryption.org/v1, "Header"): the version
 * line `age-encryption.org/v1` followed by a newline.
 */
export const AGE_HEADER: Uint8Array = new TextEncoder().encode('age-encryption.org/v1\n');

/**
 * Decrypts an age-encrypted byte stream (supplied by the caller, which holds the identities: the
 * dump reader itself knows no keys). @param label names the input in errors
 */
export type DumpDecrypter = (source: AsyncIterable<Uint8Array>, label: string) => AsyncIterable<Uint8Array>;

/**
 * Look at the first bytes of `source`; when they are the age header, pass the whole stream through
 * `decrypt`, otherwise pass the bytes through untouched. Lazy: nothing is read before the first pull.
 *
 * @param label names the input in errors (`file` subject)
 * @throws (while iterating) UsageError `DECRYPTION_IDENTITY_REQUIRED` for an encrypted input without
 *   `decrypt`; whatever `decrypt` throws (a wrong identity, tampered data)
 */
export async function* decryptIfAge(
  source: AsyncIterable<Uint8Array>,
  label: string,
  decrypt: DumpDecrypter | undefined,
): AsyncGenerator<Uint8Array, void, undefined> {
  const { head, chunks, close } = await peekPrefix(source, AGE_HEADER.length);
  const isAge = head.length >= AGE_HEADER.length && AGE_HEADER.every((b, k) => head[k] === b);
  if (!isAge) return yield* chunks;
  if (!decrypt) {
    await close();
    throw new UsageError(
      'DECRYPTION_IDENTITY_REQUIRED',
      `${label} is age-encrypted: an age identity is needed`,
      {
        subject: { file: label },
        hint: 'give --identity <file> holding the AGE-SECRET-KEY-1… line that matches the recipient used',
      },
    );
  }
  yield* decrypt(chunks, label);
}
