/**
 * Keys for the codecs that need them. Producers hold only recipients (public keys); readers that
 * decrypt hold identities (private keys). Neither is ever written to a manifest, a plan or a log.
 */
export interface CodecKeys {
  /** age recipients (`age1…`), for encoding with the `age` codec. */
  readonly recipients?: readonly string[];
  /** age identities (`AGE-SECRET-KEY-1…`), for decoding the `age` codec. */
  readonly identities?: readonly string[];
}

export const NO_KEYS: CodecKeys = Object.freeze({});
