import type { DumpDecrypter } from '../archive/index.js';
import { ageCodec } from '../codec/age-codec.js';
import { NO_KEYS, type CodecKeys } from '../codec/codec-keys.js';
import { readIdentityFile } from '../codec/identity-file.js';

/**
 * The keys for reading encrypted data: the identities of an age identity file, or none.
 *
 * @throws UsageError `DECRYPTION_BAD_IDENTITY` when the file cannot be read or holds no identity
 */
export async function decryptionKeys(identityFile: string | undefined): Promise<CodecKeys> {
  return identityFile === undefined ? NO_KEYS : { identities: await readIdentityFile(identityFile) };
}

/**
 * What the dump reader calls for an age-encrypted dump file (`ReadDumpOptions.decrypt`): the `age`
 * codec's decoder with these identities. Undefined without identities, so an encrypted dump fails
 * with `DECRYPTION_IDENTITY_REQUIRED`.
 */
export function dumpDecrypter(keys: CodecKeys): DumpDecrypter | undefined {
  if (!keys.identities?.length) return undefined;
  const codec = ageCodec(keys);
  return (source, label) => codec.decode(source, label);
}

/** `ReadDumpOptions` holding the decrypter for these keys, if any. */
export function decryptOptions(keys: CodecKeys): { decrypt?: DumpDecrypter } {
  const decrypt = dumpDecrypter(keys);
  return decrypt ? { decrypt } : {};
}
