import { allLocales, base, en, Faker, type LocaleDefinition, type Randomizer } from '@faker-js/faker';

/**
 * A @faker-js/faker instance whose randomness comes from a keyed digest, so the same input (and key)
 * gives the same fake. The randomizer is sfc32 (Chris Doty-Humphrey's Small Fast Counter, 32-bit),
 * seeded with the first 16 bytes of the digest and warmed up 12 rounds: seeding costs nanoseconds,
 * where faker's default Mersenne Twister costs ~25 µs per reseed.
 *
 * `locale` is a @faker-js/faker locale name (`de`, `fr_CA`, …; default `en`); a locale falls back to
 * `en` for data it lacks. Outputs depend on faker's locale data: upgrading @faker-js/faker can change
 * fakes (pin it).
 */
export class SeededFaker {
  readonly #random = new Sfc32();
  readonly faker: Faker;

  constructor(locale = 'en') {
    const chain: LocaleDefinition[] = [en, base];
    const own = (allLocales as Record<string, LocaleDefinition | undefined>)[locale];
    if (locale !== 'en' && own) chain.unshift(own);
    this.faker = new Faker({ locale: chain, randomizer: this.#random });
  }

  /** Reseed from a digest (≥ 16 bytes) and return the faker to draw from. */
  seeded(seed: Buffer): Faker {
    this.#random.reset(
      seed.readUInt32BE(0),
      seed.readUInt32BE(4),
      seed.readUInt32BE(8),
      seed.readUInt32BE(12),
    );
    return this.faker;
  }
}

/** sfc32 as a {@link Randomizer}; faker calls `next` unbound, so it is an arrow function. */
class Sfc32 implements Randomizer {
  #a = 0;
  #b = 0;
  #c = 0;
  #d = 1;

  reset(a: number, b: number, c: number, d: number): void {
    this.#a = a | 0;
    this.#b = b | 0;
    this.#c = c | 0;
    this.#d = d | 0;
    for (let i = 0; i < 12; i++) this.next();
  }

  readonly next = (): number => {
    const t = (((this.#a + this.#b) | 0) + this.#d) | 0;
    this.#d = (this.#d + 1) | 0;
    this.#a = this.#b ^ (this.#b >>> 9);
    this.#b = (this.#c + (this.#c << 3)) | 0;
    this.#c = (this.#c << 21) | (this.#c >>> 11);
    this.#c = (this.#c + t) | 0;
    return (t >>> 0) / 4294967296;
  };

  readonly seed = (seed: number | number[]): void => {
    const s = Array.isArray(seed) ? seed : [seed];
    this.reset(s[0] ?? 0, s[1] ?? 0, s[2] ?? 0, s[3] ?? 1);
  };
}
