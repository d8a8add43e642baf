/** One piece of a parsed `template`: literal text, a field reference, or the keyed hash of the own value. */
export type TemplatePart =
  | { readonly type: 'text'; readonly text: string }
  | { readonly type: 'field'; readonly path: string }
  | { readonly type: 'hash'; readonly length: number }
  | { readonly type: 'fake'; readonly kind: FakeKind };

import { FAKE_KINDS, type FakeKind } from './rules-schema.js';

/** Default hex length of `{hash}` in templates. */
const TEMPLATE_HASH_LENGTH = 8;

/**
 * Parse a template: `{path}` is another field's (anonymized) value, `{hash}` / `{hash:N}` the keyed
 * hash of this field's original value as N hex characters (default 8), `{fake:<kind>}` a fake of a
 * `fake` kind seeded by the keyed hash of the original value, `{{` and `}}` are literal braces.
 *
 * @throws Error with a one-line reason when a brace is unbalanced or a placeholder is empty
 */
export function parseTemplate(template: string): TemplatePart[] {
  const parts: TemplatePart[] = [];
  let text = '';
  for (let i = 0; i < template.length; i++) {
    const c = template[i];
    if ((c === '{' || c === '}') && template[i + 1] === c) {
      text += c;
      i++;
      continue;
    }
    if (c === '}') throw new Error(`unbalanced "}" at character ${i + 1}`);
    if (c !== '{') {
      text += c;
      continue;
    }
    const close = template.indexOf('}', i + 1);
    if (close < 0) throw new Error(`unclosed "{" at character ${i + 1}`);
    const name = template.slice(i + 1, close).trim();
    if (!name) throw new Error(`empty placeholder at character ${i + 1}`);
    if (text) parts.push({ type: 'text', text });
    text = '';
    const hash = /^hash(?::(\d+))?$/.exec(name);
    if (hash) {
      const length = hash[1] ? Number(hash[1]) : TEMPLATE_HASH_LENGTH;
      if (length < 1 || length > 64) throw new Error(`{hash:N} takes N from 1 to 64, got ${length}`);
      parts.push({ type: 'hash', length });
    } else if (name.startsWith('fake:')) {
      const kind = name.slice(5).trim();
      if (!(FAKE_KINDS as readonly string[]).includes(kind))
        throw new Error(`{fake:${kind}}: unknown kind (one of ${FAKE_KINDS.join(', ')})`);
      parts.push({ type: 'fake', kind: kind as FakeKind });
    } else {
      parts.push({ type: 'field', path: name });
    }
    i = close;
  }
  if (text) parts.push({ type: 'text', text });
  return parts;
}
