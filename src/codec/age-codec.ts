import { Duplex, Readable } from 'node:stream';
import { ReadableStream as WebReadable } from 'node:stream/web';
import { Decrypter, Encrypter } from 'age-encryption';
import { StoreError, UsageError } from '../errors/index.js';
import type { ByteCodec } from './byte-codec.js';
import type { CodecKeys } from './codec-keys.js';

/**
 * Authenticated streaming encryption to public-key recipients in the age format
 * (https://age-encryption.org/v1, through the `age-encryption` library): a header with one stanza per
 * recipient, then the payload in 64 KiB chunks, each sealed with ChaCha20-Poly1305, so a reader
 * detects tampering chunk by chunk and truncation at the end. The output is what `age -r` writes and
 * `age -d -i` reads. Encoding needs `keys.recipients`, decoding `keys.identities`; a missing key is a
 * UsageError when the stream is first used, so a chain can be built (and its suffix known) without it.
 */
export function ageCodec(keys: CodecKeys): ByteCodec {
  return {
    name: 'age',
    suffix: '.age',
    encoder: () => encryptor(keys.recipients ?? []),
    decode: (source, label) => decrypt(source, label, keys.identities ?? []),
  };
}

function encryptor(recipients: readonly string[]): Duplex {
  if (recipients.length === 0)
    throw new UsageError('ENCRYPTION_RECIPIENT_REQUIRED', 'encryption needs at least one age recipient', {
      hint: 'give --recipient age1… (print a new identity and its recipient with `dbfork keygen`)',
    });
  const encrypter = new Encrypter();
  for (const recipient of recipients) addRecipient(encrypter, recipient);
  return Duplex.from(async function* (source: AsyncIterable<Uint8Array>) {
    const sealed = await encrypter.encrypt(toWeb(source));
    yield* sealed as unknown as AsyncIterable<Uint8Array>;
  });
}

function addRecipient(encrypter: Encrypter, recipient: string): void {
  try {
    encrypter.addRecipient(recipient);
  } catch (cause) {
    throw new UsageError('ENCRYPTION_BAD_RECIPIENT', 'not an age recipient', {
      subject: { recipient },
      hint: 'an age recipient starts with age1 (from `dbfork keygen` or age-keygen -y)',
      cause,
    });
  }
}

async function* decrypt(
  source: AsyncIterable<Uint8Array>,
  label: string,
  identities: readonly string[],
): AsyncGenerator<Uint8Array> {
  if (identities.length === 0)
    throw new UsageError(
      'DECRYPTION_IDENTITY_REQUIRED',
      'the snapshot is encrypted: an age identity is needed',
      {
        subject: { file: label },
        hint: 'give --identity <file> holding the AGE-SECRET-KEY-1… line that matches the recipient used',
      },
    );
  const decrypter = new Decrypter();
  for (const identity of identities) addIdentity(decrypter, identity);
  const input = Readable.from(source, { objectMode: false });
  let produced = 0;
  try {
    const plain = await decrypter.decrypt(toWeb(input));
    for await (const chunk of plain as unknown as AsyncIterable<Uint8Array>) {
      produced += chunk.length;
      yield chunk;
    }
  } catch (cause) {
    if (cause instanceof StoreError || cause instanceof UsageError) throw cause;
    throw decryptionFailure(cause, label, produced);
  } finally {
    input.destroy();
  }
}

function addIdentity(decrypter: Decrypter, identity: string): void {
  try {
    decrypter.addIdentity(identity);
  } catch (cause) {
    throw new UsageError('DECRYPTION_BAD_IDENTITY', 'not an age identity', {
      hint: 'the identity file holds an AGE-SECRET-KEY-1… line (from `dbfork keygen` or age-keygen)',
      cause,
    });
  }
}

/** A wrong key and damaged data are told apart by the library's message; both name the object. */
function decryptionFailure(cause: unknown, label: string, offset: number): StoreError {
  const message = cause instanceof Error ? cause.message : String(cause);
  const wrongKey = /no identity matched/i.test(message);
  return new StoreError(
    wrongKey ? 'DECRYPTION_WRONG_IDENTITY' : 'DECRYPTION_FAILED',
    wrongKey
      ? 'none of the given age identities can decrypt this object'
      : `the encrypted data does not authenticate: ${message}`,
    {
      subject: { file: label, offset },
      hint: wrongKey
        ? 'use the identity whose recipient encrypted the snapshot'
        : 'the stored bytes were damaged or cut short: restore another snapshot, nothing was written',
      cause,
    },
  );
}

/**
 * The bytes as a web stream for the library, pulled one chunk per read: `ReadableStream.from` reads
 * the iterator only when asked and returns it on cancel. (`Readable.toWeb` pushes on every `data`
 * event and can enqueue into a stream the library already closed after a failed chunk, which throws
 * outside any caller.)
 */
function toWeb(source: AsyncIterable<Uint8Array>): ReadableStream<Uint8Array> {
  return WebReadable.from(source) as unknown as ReadableStream<Uint8Array>;
}
