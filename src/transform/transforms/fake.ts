import type { Faker } from '@faker-js/faker';
import type { FakeKind } from '../../config/rules-schema.js';
import { canonicalBytes } from '../canonical-bytes.js';
import { isDate, isDouble, isInt32, isLong } from '../bson-value.js';
import { TypeMismatch, type FieldTransform } from '../field-transform.js';
import { SeededFaker } from '../seeded-faker.js';

/** One @faker-js/faker generator per kind. Emails and URLs use reserved example domains only. */
const GENERATORS: Readonly<Record<FakeKind, (f: Faker) => string>> = {
  first_name: (f) => f.person.firstName(),
  last_name: (f) => f.person.lastName(),
  full_name: (f) => f.person.fullName(),
  email: (f) => f.internet.exampleEmail(),
  phone: (f) => f.phone.number(),
  street_address: (f) => f.location.streetAddress(),
  city: (f) => f.location.city(),
  company: (f) => f.company.name(),
  username: (f) => f.internet.username(),
  url: (f) => `https://${f.internet.domainWord()}.example.com/`,
  ip: (f) => f.internet.ipv4(),
  date_of_birth: (f) => f.date.birthdate({ mode: 'age', min: 18, max: 90 }).toISOString().slice(0, 10),
  job_title: (f) => f.person.jobTitle(),
  country: (f) => f.location.country(),
  country_code: (f) => f.location.countryCode(),
  state: (f) => f.location.state(),
  postcode: (f) => f.location.zipCode(),
  company_email: (f) => f.internet.email({ provider: `${f.internet.domainWord()}.example.com` }),
  iban: (f) => f.finance.iban(),
  card: (f) => f.finance.creditCardNumber().replace(/\D/g, ''),
  uuid: (f) => f.string.uuid(),
  user_agent: (f) => f.internet.userAgent(),
  lorem_sentence: (f) => f.lorem.sentence(),
  lorem_paragraph: (f) => f.lorem.paragraph(),
  ipv6: (f) => f.internet.ipv6(),
  mac_address: (f) => f.internet.mac(),
  time_zone: (f) => f.location.timeZone(),
};

/** One fake of `kind` drawn from a (seeded) faker. */
export function fakeOf(kind: FakeKind, faker: Faker): string {
  return GENERATORS[kind](faker);
}

/** After this many attempts a numeric suffix is added, so small vocabularies can still be unique. */
const SUFFIX_AFTER = 4;

/**
 * First-attempt fakes remembered per rule (or group), by input string. Names, cities and companies
 * repeat a lot in real data, and a fake costs microseconds of faker templating; the memory is
 * cleared when full (≈ 1 MB at most).
 */
const MEMO_ENTRIES = 8192;

/**
 * `fake`: a realistic value of `kind` from @faker-js/faker, with its randomness seeded from the keyed
 * hash of the input, so the same input always gives the same fake (and joins within a group).
 * Collisions under uniqueness are resolved by reseeding, then by a numeric suffix (`Ann Lee 7`,
 * `x.y7@example.org`). Accepts strings (and numbers for `phone`, dates for `date_of_birth`, which
 * gives a date for a date and `YYYY-MM-DD` for a string). `locale` picks faker's locale data.
 */
export function fakeTransform(options: { kind: FakeKind; locale?: string }): FieldTransform {
  const generate = GENERATORS[options.kind];
  const faker = new SeededFaker(options.locale);
  const acceptsNumbers = options.kind === 'phone';
  const dates = options.kind === 'date_of_birth';
  const memo = new Map<string, string>();
  let memoDigest: unknown = null;
  return {
    wholeValue: false,
    retryable: true,
    apply(value, { digest, attempt }) {
      if (dates && isDate(value)) {
        const day = generate(faker.seeded(digest(canonicalBytes(value), attempt)));
        return new Date(`${day}T00:00:00Z`);
      }
      const numeric = isInt32(value) || isDouble(value) || isLong(value) || typeof value === 'number';
      if (typeof value !== 'string' && !(acceptsNumbers && numeric)) {
        throw new TypeMismatch(acceptsNumbers ? 'a string or a number' : 'a string');
      }
      if (attempt === 0 && typeof value === 'string') {
        // outputs are a pure function of (domain digest, value): remember the last distinct values
        if (memoDigest !== digest) {
          memo.clear();
          memoDigest = digest;
        }
        let out = memo.get(value);
        if (out === undefined) {
          out = generate(faker.seeded(digest(canonicalBytes(value), 0)));
          if (memo.size >= MEMO_ENTRIES) memo.clear();
          memo.set(value, out);
        }
        return out;
      }
      const out = generate(faker.seeded(digest(canonicalBytes(value), attempt)));
      if (attempt < SUFFIX_AFTER) return out;
      const at = out.indexOf('@');
      return at > 0 ? `${out.slice(0, at)}${attempt}${out.slice(at)}` : `${out} ${attempt}`;
    },
  };
}
