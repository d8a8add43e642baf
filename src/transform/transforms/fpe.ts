import FF3Cipher from 'ff3';
import { InternalError } from '../../errors/index.js';
import { TypeMismatch, type FieldTransform } from '../field-transform.js';
import type { DomainDigest } from '../hasher.js';

/**
 * Labels the FF3-1 key and tweak are derived under. They start with 0xFF 0xFE, which neither a
 * UTF-8 string nor a tagged scalar (0xFF <tag 0x00–0x09>) can, so no value's digest equals them.
 */
const KEY_LABEL = Buffer.from([0xff, 0xfe, ...Buffer.from('fpe-key', 'utf8')]);
const TWEAK_LABEL = Buffer.from([0xff, 0xfe, ...Buffer.from('fpe-tweak', 'utf8')]);

/**
 * The ff3 package pads each Feistel half with at most 8 zeros, so a half longer than 9 characters
 * can come out short (for radix 10, once in ~10⁹ rounds). Halves of at most 9 never do: inputs are
 * limited to 18 characters of the alphabet, and every output's length is checked.
 */
const MAX_CHARACTERS = 18;

/** An FF3-1 cipher (AES-256 key and 56-bit tweak from the domain's keyed digest) over an alphabet. */
export class FpeCipher {
  readonly #cipher: FF3Cipher;
  readonly #alphabet: string;
  readonly #index: Map<string, number>;

  constructor(digest: DomainDigest, alphabet: string) {
    this.#alphabet = alphabet;
    this.#index = new Map([...alphabet].map((c, i) => [c, i]));
    const key = digest(KEY_LABEL).toString('hex');
    const tweak = digest(TWEAK_LABEL).subarray(0, 7).toString('hex');
    this.#cipher = new FF3Cipher(key, tweak, alphabet.length);
  }

  /** Fewest alphabet characters a value needs (FF3-1: radix^length ≥ 10⁶). */
  get minLength(): number {
    return this.#cipher.minLen;
  }

  /**
   * Encrypt the characters of `text` that are in the alphabet, in place (others stay).
   * @throws TypeMismatch when the value has fewer than {@link minLength} or more than 18 of them
   */
  encrypt(text: string): string {
    return this.#run(text, (s) => this.#cipher.encrypt(s));
  }

  /** Invert {@link encrypt} (same digest and alphabet). */
  decrypt(text: string): string {
    return this.#run(text, (s) => this.#cipher.decrypt(s));
  }

  #run(text: string, op: (radixDigits: string) => string): string {
    const chars = [...text];
    const positions: number[] = [];
    let digits = '';
    chars.forEach((c, i) => {
      const d = this.#index.get(c);
      if (d === undefined) return;
      positions.push(i);
      digits += d.toString(36);
    });
    if (digits.length < this.#cipher.minLen || digits.length > MAX_CHARACTERS) {
      throw new TypeMismatch(
        `${this.#cipher.minLen} to ${MAX_CHARACTERS} characters of the alphabet ${JSON.stringify(this.#alphabet)}`,
      );
    }
    const out = op(digits);
    if (out.length !== digits.length) throw new InternalError('ff3 returned a value of another length');
    positions.forEach((p, k) => {
      chars[p] = this.#alphabet[parseInt(out[k] ?? '0', 36)] ?? '';
    });
    return chars.join('');
  }
}

/**
 * `fpe`: format-preserving encryption (NIST SP 800-38G Rev. 1 FF3-1, through the `ff3` package) of
 * the alphabet's characters of a string, leaving other characters in place (`AB-1234-5678` →
 * `AB-9051-3316`): same length, same alphabet, and reversible by whoever holds the anonymization key
 * ({@link FpeCipher.decrypt} with the same domain digest). The cipher key and tweak come from the
 * rule's (or group's) keyed digest. Unlike every other transform it is a cipher, not a one-way
 * pseudonym: use it only where the original must be recoverable. Accepts strings with 6–18 alphabet
 * characters (digits; fewer suffice for larger alphabets: radix^n ≥ 10⁶).
 */
export function fpeTransform(options: { alphabet: string }): FieldTransform {
  let cipher: FpeCipher | null = null;
  let cipherDigest: DomainDigest | null = null;
  return {
    wholeValue: false,
    retryable: false,
    apply(value, { digest }) {
      if (typeof value !== 'string') throw new TypeMismatch('a string');
      if (cipherDigest !== digest) {
        cipher = new FpeCipher(digest, options.alphabet);
        cipherDigest = digest;
      }
      return (cipher as FpeCipher).encrypt(value);
    },
    // a cipher is a permutation: distinct inputs never share an output
    collisionFree: () => true,
  };
}
