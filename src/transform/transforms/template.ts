import { parseTemplate, type TemplatePart } from '../../config/template-placeholders.js';
import { canonicalBytes } from '../canonical-bytes.js';
import { isDate, isDocument, isObjectId } from '../bson-value.js';
import { TypeMismatch, type FieldTransform } from '../field-transform.js';
import { hexFromSeed } from '../seed-bytes.js';
import { SeededFaker } from '../seeded-faker.js';
import { fakeOf } from './fake.js';

/**
 * `template`: build a string from other fields' anonymized values and the keyed hash of this field's
 * original value: `"{FirstName}.{LastName}.{hash:6}@example.com"`, and fakes seeded by it:
 * `"{fake:first_name} from {fake:city}"`. `{path}` is a dot path from the
 * document root (read after every non-template rule has run; the loader only allows paths that are
 * transformed or in `keep`); a missing field renders as an empty string; an array or document there
 * is a type mismatch. Runs after all other rules of the document. Accepts any scalar as own value.
 */
export function templateTransform(options: { template: string }): FieldTransform {
  const parts: readonly TemplatePart[] = parseTemplate(options.template);
  const faker = new SeededFaker();
  return {
    wholeValue: false,
    retryable: parts.some((p) => p.type === 'hash' || p.type === 'fake'),
    late: true,
    documentReads: parts.flatMap((p) => (p.type === 'field' ? [p.path] : [])),
    apply(value, { digest, attempt, document }) {
      let out = '';
      for (const part of parts) {
        if (part.type === 'text') out += part.text;
        else if (part.type === 'hash') {
          if (Array.isArray(value) || isDocument(value)) throw new TypeMismatch('a scalar value for {hash}');
          out += hexFromSeed(digest(canonicalBytes(value), attempt), part.length);
        } else if (part.type === 'fake') {
          if (Array.isArray(value) || isDocument(value)) throw new TypeMismatch('a scalar value for {fake}');
          const seed = digest(Buffer.concat([canonicalBytes(value), Buffer.from(`\0${part.kind}`)]), attempt);
          out += fakeOf(part.kind, faker.seeded(seed));
        } else out += render(lookup(document, part.path), part.path);
      }
      return out;
    },
  };
}

function lookup(document: Record<string, unknown>, path: string): unknown {
  let node: unknown = document;
  for (const key of path.split('.')) {
    if (!isDocument(node)) return undefined;
    node = node[key];
  }
  return node;
}

function render(value: unknown, path: string): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return String(value);
  if (isDate(value)) return value.toISOString();
  if (isObjectId(value)) return value.toHexString();
  if (Array.isArray(value) || isDocument(value)) throw new TypeMismatch(`a scalar at {${path}}`);
  return String(value);
}
