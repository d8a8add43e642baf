import type { NormalizedFieldRule } from '../../config/normalized-rules.js';
import type { RedactKind } from '../../config/rules-schema.js';
import { TypeMismatch, type FieldTransform, type ValueContext } from '../field-transform.js';
import type { Hasher } from '../hasher.js';
import { expandSeed } from '../seed-bytes.js';
import { valueAtPath } from '../rule-gate.js';
import { SeededFaker } from '../seeded-faker.js';
import { pseudonymCard } from './card-number.js';
import { hashEmailTransform } from './hash-email.js';
import { pseudonymIban } from './iban.js';
import { pseudonymPhone } from './phone.js';
import { findSpans, type Span } from './redact-spans.js';

/** What `redact` needs besides its options: the hasher and the rules of other groups. */
export interface RedactEnvironment {
  readonly hasher: Hasher;
  /** The rule defining a group (its transform and options), or undefined. */
  groupRule(group: string): NormalizedFieldRule | undefined;
}

export interface RedactOptions {
  readonly kinds: readonly RedactKind[];
  readonly mode: 'pseudonym' | 'mask';
  readonly nameFields: readonly string[];
  readonly locale: string;
  /** hash_email domain when no email group is named. */
  readonly domain: string;
  readonly emailGroup?: string;
}

/** Tries before a fake name that equals one of the document's own names is accepted. */
const NAME_ATTEMPTS = 8;
const LAST_NAME_FIELD = /last|sur|family/i;

/**
 * `redact`: free text with the personal parts replaced in place and the rest kept exactly. Finds
 * what the scan's detectors find (`kinds`, default all: email, phone, ip, card, iban,
 * street_address, person_name) and the words of the document's own `name_fields` (their values as
 * the document arrived, so a note naming the customer is caught even when the name is in no
 * dictionary). `mode: pseudonym` (default) replaces each finding by a keyed value of its kind:
 * emails by `hash_email` (with `email_group`, exactly that group's pseudonym of the address, so the
 * note keeps joining), phones by a valid number of the same region, cards Luhn-valid with the issuer
 * prefix, IBANs mod-97-valid with the country, IPs by keyed addresses of the same family, street
 * addresses by fakes, and names by the name fields' anonymized words (redact runs after the other
 * rules, so `Ask Jane Doe` becomes `Ask Mia Lang` when the name fields became Mia and Lang), or by
 * fakes when a name is not (all) from those fields (never one of the document's own names). `mode: mask` writes `[email]`,
 * `[phone]`, `[ip]`, `[card]`, `[iban]`, `[street_address]`, `[name]`. Accepts strings.
 */
export function redactTransform(options: RedactOptions, env: RedactEnvironment): FieldTransform {
  const kinds = new Set(options.kinds);
  const faker = new SeededFaker(options.locale);
  const group = options.emailGroup === undefined ? undefined : env.groupRule(options.emailGroup);
  const email = hashEmailTransform({
    domain: group?.options.domain ?? options.domain,
    length: group?.options.length ?? 12,
  });
  const emailDigest =
    options.emailGroup === undefined ? null : env.hasher.forDomain(`group:${options.emailGroup}`);
  return {
    wholeValue: false,
    retryable: false,
    late: true,
    ...(options.nameFields.length > 0 ? { reads: options.nameFields } : {}),
    documentReads: options.nameFields,
    apply(value, context) {
      if (typeof value !== 'string') throw new TypeMismatch('a string');
      const names = namesOf(options.nameFields, context);
      const spans = findSpans(value, kinds, new Map([...names].map(([w, n]) => [w, n.first])));
      if (spans.length === 0) return value;
      let out = '';
      let at = 0;
      for (const span of spans) {
        out += value.slice(at, span.start);
        out +=
          options.mode === 'mask'
            ? `[${span.kind === 'field_name' || span.kind === 'person_name' ? 'name' : span.kind}]`
            : replace(span, context, names);
        at = span.end;
      }
      return out + value.slice(at);
    },
  };

  function replace(span: Span, context: ValueContext, names: ReadonlyMap<string, NameWord>): string {
    // a name word is keyed case-insensitively, so `Jane` and `JANE` get one fake
    const text = span.kind === 'field_name' ? span.text.toLowerCase() : span.text;
    const seed = (attempt = 0) => context.digest(Buffer.from(`${span.kind}\0${text}`, 'utf8'), attempt);
    switch (span.kind) {
      case 'email':
        return email.apply(span.text, {
          ...context,
          attempt: 0,
          digest: emailDigest ?? context.digest,
        }) as string;
      case 'phone':
        return pseudonymPhone(span.text, seed(), 'US') ?? digitsOf(span.text, seed());
      case 'card':
        return pseudonymCard(span.text, seed(), 6) ?? digitsOf(span.text, seed());
      case 'iban':
        return pseudonymIban(span.text, seed()) ?? digitsOf(span.text, seed());
      case 'ip':
        return ipOf(span.text, seed());
      case 'street_address':
        return faker.seeded(seed()).location.streetAddress();
      case 'person_name':
      case 'field_name':
        return coherentName(span.text, names) ?? fakeName(span, seed, names);
    }
  }

  function fakeName(
    span: Span,
    seed: (attempt?: number) => Buffer,
    names: ReadonlyMap<string, NameWord>,
  ): string {
    let out = '';
    for (let attempt = 0; attempt < NAME_ATTEMPTS; attempt++) {
      const f = faker.seeded(seed(attempt));
      if (span.kind === 'field_name') out = span.first ? f.person.firstName() : f.person.lastName();
      else {
        const title = /^(Mr|Mrs|Ms|Miss|Dr)\.?\s+/.exec(span.text)?.[0];
        out = title ? `${title}${f.person.lastName()}` : f.person.fullName();
      }
      if (!out.split(/\s+/).some((w) => names.has(w.toLowerCase()))) break;
    }
    return out;
  }
}

/** A word of a name field: whether it is a first name, and the field's anonymized word, if known. */
interface NameWord {
  readonly first: boolean;
  readonly replacement: string | null;
}

const words = (text: string) => text.split(/[^\p{L}'-]+/u).filter((w) => w.length >= 2);

/**
 * The words (≥ 2 letters) of the name fields' original values. When the field's anonymized value
 * (redact runs after the other rules) has as many words, each word's replacement is the word at the
 * same position, so the text names the same fake person as the fields.
 */
function namesOf(paths: readonly string[], context: ValueContext): Map<string, NameWord> {
  const names = new Map<string, NameWord>();
  for (const path of paths) {
    const raw = context.original(path);
    const now = valueAtPath(context.document, path);
    const values = Array.isArray(raw) ? raw : [raw];
    const outs = Array.isArray(now) ? now : [now];
    values.forEach((v, k) => {
      if (typeof v !== 'string') return;
      const out = outs[k];
      const before = words(v);
      const after = typeof out === 'string' && out !== v ? words(out) : [];
      before.forEach((w, i) => {
        const key = w.toLowerCase();
        const replacement = after.length === before.length ? (after[i] ?? null) : null;
        const safe = replacement !== null && replacement.toLowerCase() !== key ? replacement : null;
        if (!names.has(key))
          names.set(key, { first: i === 0 && !LAST_NAME_FIELD.test(path), replacement: safe });
      });
    });
  }
  return names;
}

/** `text` with each of its name words replaced by its field's anonymized word; null unless all are. */
function coherentName(text: string, names: ReadonlyMap<string, NameWord>): string | null {
  let complete = true;
  const out = text.replace(/[\p{L}'-]{2,}/gu, (w) => {
    const known = names.get(w.toLowerCase());
    if (known?.replacement) return known.replacement;
    if (/^(Mr|Mrs|Ms|Miss|Dr)$/.test(w)) return w;
    complete = false;
    return w;
  });
  return complete ? out : null;
}

/** Every digit replaced by a keyed digit, other characters kept. */
function digitsOf(text: string, seed: Buffer): string {
  const bytes = expandSeed(seed, text.length);
  let i = 0;
  return text.replace(/\d/g, () => String((bytes[i++] ?? 0) % 10));
}

/** A keyed address of the same family: IPv4 as four octets, IPv6 as eight groups. */
function ipOf(text: string, seed: Buffer): string {
  if (text.includes(':')) {
    const groups: string[] = [];
    for (let i = 0; i < 8; i++) groups.push(seed.readUInt16BE(2 * i).toString(16));
    return groups.join(':');
  }
  return [seed[0], seed[1], seed[2], seed[3]].map((b) => String(b ?? 0)).join('.');
}
