import type { PersonPart } from '../../config/rules-schema.js';
import { canonicalBytes } from '../canonical-bytes.js';
import { TypeMismatch, type FieldTransform } from '../field-transform.js';
import type { Hasher } from '../hasher.js';
import { SeededFaker } from '../seeded-faker.js';
import { requireScalar } from './scalar-input.js';

/** One fake person, every part derived from one seed. */
export type FakePerson = Readonly<Record<PersonPart, string>>;

const HOSTS = ['example.com', 'example.net', 'example.org'];

/** Lowercase ASCII letters and digits only (diacritics dropped: `Zoë` → `zoe`). */
function ascii(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[^A-Za-z0-9]/g, '')
    .toLowerCase();
}

/**
 * The fake person of a 32-byte seed: first and last name from @faker-js/faker (seeded), full name
 * `First Last`, username `<initial><last><nnn>` and email `<first>.<last><nnn>@example.{com,net,org}`
 * (reserved domains), where `nnn` (000–999) and the host also come from the seed.
 */
export function derivePerson(seed: Buffer, faker: SeededFaker): FakePerson {
  const f = faker.seeded(seed);
  const first = f.person.firstName();
  const last = f.person.lastName();
  const n = String(seed.readUInt16BE(20) % 1000).padStart(3, '0');
  const host = HOSTS[(seed[22] ?? 0) % HOSTS.length] ?? HOSTS[0];
  return {
    first_name: first,
    last_name: last,
    full_name: `${first} ${last}`,
    username: `${ascii(first).slice(0, 1)}${ascii(last)}${n}`,
    email: `${ascii(first)}.${ascii(last)}${n}@${host}`,
  };
}

/**
 * `person`: one part (`first_name`, `last_name`, `full_name`, `username`, `email`) of a coherent fake
 * person. Every part is derived from one keyed seed: HMAC of the identity's original value (the
 * `seed_field`'s value as the document arrived, default the field's own value) in the domain
 * `person:<identity>`, so the rules of one identity, in any field or collection, give one consistent
 * person (`Jane Doe`, `jdoe042`, `jane.doe042@example.org`) for one source identity, run after run.
 * A missing or null seed field seeds from the field's own value. Uniqueness retries reseed that part
 * alone (the person stops being coherent for that document only). Accepts strings.
 */
export function personTransform(
  options: { part: PersonPart; identity: string; seedField?: string; locale: string },
  hasher: Hasher,
): FieldTransform {
  const { part, seedField } = options;
  const seedDigest = hasher.forDomain(`person:${options.identity}`);
  const faker = new SeededFaker(options.locale);
  return {
    wholeValue: false,
    retryable: true,
    ...(seedField ? { reads: [seedField] } : {}),
    apply(value, { attempt, original }) {
      if (typeof value !== 'string') throw new TypeMismatch('a string');
      const fromField = seedField === undefined ? undefined : original(seedField);
      const seedValue = fromField === undefined || fromField === null ? value : fromField;
      requireScalar(seedValue);
      return derivePerson(seedDigest(canonicalBytes(seedValue), attempt), faker)[part];
    },
  };
}
