import { TransformError } from '../errors/index.js';

/**
 * The memory that keeps outputs of one rule or group collision-free: output → the original that
 * owns it. An output is claimed by the first original that produces it; another original producing
 * it is a collision, and the engine retries with the next attempt (a different keyed output).
 * Deterministic for a given input order (the same dump gives the same output), ORDER-DEPENDENT
 * across orders only for the colliding values themselves.
 *
 * Memory bound: one entry per distinct output, each two ≤ 16-byte strings (~100 bytes with V8
 * overhead), at most `maxEntries` (rules `defaults.unique_max_entries`, default 2,000,000 ≈ 200 MB);
 * beyond that the run fails loudly rather than risk a duplicate. Outputs with ≥ 96 bits from the
 * keyed hash skip the registry (see FieldTransform.collisionFree), so ObjectId/UUID `_id`s cost nothing.
 */
export class UniquenessRegistry {
  readonly #owners = new Map<string, string>();
  readonly #maxEntries: number;
  readonly #label: string;

  /** @param label names the rule or group in errors (`sample_mflix.users.email`, `group email`) */
  constructor(label: string, maxEntries: number) {
    this.#label = label;
    this.#maxEntries = maxEntries;
  }

  get size(): number {
    return this.#owners.size;
  }

  /**
   * Claim `output` for `original` (keys from {@link registryKey} of their canonical bytes). True when
   * free or already owned by the same original.
   *
   * @throws TransformError `TRANSFORM_UNIQUE_MEMORY` when the bound is reached
   */
  claim(outKey: string, origKey: string): boolean {
    const owner = this.#owners.get(outKey);
    if (owner !== undefined) return owner === origKey;
    if (this.#owners.size >= this.#maxEntries) {
      throw new TransformError(
        'TRANSFORM_UNIQUE_MEMORY',
        `uniqueness memory of ${this.#label} is full (${this.#maxEntries} values)`,
        {
          subject: { fieldPath: this.#label },
          hint: 'raise defaults.unique_max_entries in the rules (≈100 bytes each), or use a transform with ≥ 96-bit outputs (hash length ≥ 24, pseudonymous_id)',
        },
      );
    }
    this.#owners.set(outKey, origKey);
    return true;
  }
}

/**
 * The registry key of canonical bytes: ≤ 16 bytes as-is (tagged "="), longer values as a 128-bit
 * non-cryptographic fingerprint (tagged "#", eight 16-bit code units; cyrb128 by bryc, public domain):
 * an accidental false match between two long values needs ~2⁶⁴ entries, and the values are not
 * adversarial (they are the engine's own keyed outputs).
 */
export function registryKey(bytes: Uint8Array): string {
  if (bytes.length <= 16)
    return `=${Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('latin1')}`;
  let h1 = 1779033703;
  let h2 = 3144134277;
  let h3 = 1013904242;
  let h4 = 2773480762;
  for (let i = 0; i < bytes.length; i++) {
    const k = bytes[i] as number;
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  return cyrb128Key(h1, h2, h3, h4);
}

const NON_ASCII = /[^\u0000-\u007f]/; // eslint-disable-line no-control-regex

/**
 * {@link registryKey} of a string's UTF-8 bytes (its canonical bytes), without encoding it when it is
 * ASCII (then each UTF-16 code unit is its byte).
 */
export function registryKeyOfString(value: string): string {
  if (NON_ASCII.test(value)) return registryKey(Buffer.from(value, 'utf8'));
  if (value.length <= 16) return `=${value}`;
  let h1 = 1779033703;
  let h2 = 3144134277;
  let h3 = 1013904242;
  let h4 = 2773480762;
  for (let i = 0; i < value.length; i++) {
    const k = value.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  return cyrb128Key(h1, h2, h3, h4);
}

function cyrb128Key(h1: number, h2: number, h3: number, h4: number): string {
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  h1 ^= h2 ^ h3 ^ h4;
  h2 ^= h1;
  h3 ^= h1;
  h4 ^= h1;
  return String.fromCharCode(
    0x23, // "#"
    h1 >>> 16,
    h1 & 0xffff,
    h2 >>> 16,
    h2 & 0xffff,
    h3 >>> 16,
    h3 & 0xffff,
    h4 >>> 16,
    h4 & 0xffff,
  );
}
