import { EJSON } from 'bson';
import { isDocument } from './bson-value.js';
import { UNSET } from './field-transform.js';

/** A parsed field path: keys, `*` (any key, or any array element), numeric keys (array positions). */
export type FieldPath = readonly string[];

/** Split a validated dot path (see FIELD_PATH_PATTERN in config/rules-schema.ts). */
export function parseFieldPath(path: string): FieldPath {
  return path.split('.');
}

/**
 * Called for each value a path reaches, with its concrete path (`Contacts.2.Email`). Returns the
 * replacement: the same value to leave it, {@link UNSET} to remove the field.
 */
export type PathVisitor = (value: unknown, concretePath: string) => unknown;

const INDEX = /^\d+$/;

/**
 * Rewrite, in place, every value of `document` that `path` reaches, with MongoDB query semantics
 * extended by `*`:
 * - a key segment applied to an array applies to each element (nested arrays too), as `Contacts.Email`
 *   matches inside `Contacts: [{Email}, …]`;
 * - a numeric segment applied to an array selects that position (`items.0.sku`);
 * - `*` matches every key of a document, or every element of an array;
 * - at the end of the path, an array value is visited element by element unless `wholeValue`
 *   (`unset`, `null`, `constant` replace the whole field);
 * - `**` matches any run of keys (none included), through documents and array elements:
 *   `**.email` reaches `email`, `a.email`, `a.3.b.email`;
 * - `$json` after a string field parses it as (Extended) JSON, applies the rest of the path inside it
 *   and writes it back as relaxed Extended JSON when a value changed (`payload.$json.user.email`); a
 *   string that does not parse is visited whole, so the transform still sees (and refuses or
 *   replaces) it;
 * - missing fields are left alone (no field is ever added).
 */
export function rewritePath(
  document: Record<string, unknown>,
  path: FieldPath,
  wholeValue: boolean,
  visit: PathVisitor,
): void {
  walk(document, path, 0, '', wholeValue, visit);
}

function walk(
  container: Record<string, unknown> | unknown[],
  path: FieldPath,
  i: number,
  prefix: string,
  wholeValue: boolean,
  visit: PathVisitor,
): void {
  const segment = path[i] ?? '';
  const last = i === path.length - 1;
  if (segment === '**') {
    anyDepth(container, path, i, prefix, wholeValue, visit);
    return;
  }
  if (Array.isArray(container)) {
    if (segment === '*' || INDEX.test(segment)) {
      const indexes = segment === '*' ? container.keys() : [Number(segment)];
      for (const j of indexes) {
        if (j >= container.length) continue;
        step(container, j, path, i, join(prefix, String(j)), last, wholeValue, visit);
      }
      return;
    }
    container.forEach((element, j) => {
      if (isDocument(element) || Array.isArray(element))
        walk(element, path, i, join(prefix, String(j)), wholeValue, visit);
    });
    return;
  }
  if (segment === '*') {
    for (const key of Object.keys(container))
      step(container, key, path, i, join(prefix, key), last, wholeValue, visit);
  } else if (Object.hasOwn(container, segment)) {
    step(container, segment, path, i, join(prefix, segment), last, wholeValue, visit);
  }
}

function step(
  container: Record<string, unknown> | unknown[],
  key: string | number,
  path: FieldPath,
  i: number,
  concrete: string,
  last: boolean,
  wholeValue: boolean,
  visit: PathVisitor,
): void {
  const value = (container as Record<string | number, unknown>)[key];
  if (!last && path[i + 1] === '$json' && typeof value === 'string') {
    insideJson(container, key, value, path, i + 2, concrete, wholeValue, visit);
    return;
  }
  if (!last) {
    if (isDocument(value) || Array.isArray(value)) walk(value, path, i + 1, concrete, wholeValue, visit);
    return;
  }
  terminal(container, key, value, concrete, wholeValue, visit);
}

function terminal(
  container: Record<string, unknown> | unknown[],
  key: string | number,
  value: unknown,
  concrete: string,
  wholeValue: boolean,
  visit: PathVisitor,
): void {
  if (!wholeValue && Array.isArray(value)) {
    value.forEach((element, j) => terminal(value, j, element, join(concrete, String(j)), wholeValue, visit));
    return;
  }
  const out = visit(value, concrete);
  if (out === UNSET) {
    if (Array.isArray(container)) container[key as number] = null;
    else delete container[key as string];
  } else if (out !== value) {
    (container as Record<string | number, unknown>)[key] = out;
  }
}

/**
 * `**` at `path[i]`: the rest of the path from here (zero keys), then `**` again inside every
 * embedded document. Arrays are only entered element by element (the rest of the path is applied in
 * each element), so no value is reached twice.
 */
function anyDepth(
  container: Record<string, unknown> | unknown[],
  path: FieldPath,
  i: number,
  prefix: string,
  wholeValue: boolean,
  visit: PathVisitor,
): void {
  if (Array.isArray(container)) {
    container.forEach((element, j) => {
      if (isDocument(element) || Array.isArray(element))
        walk(element, path, i, join(prefix, String(j)), wholeValue, visit);
    });
    return;
  }
  walk(container, path, i + 1, prefix, wholeValue, visit);
  for (const key of Object.keys(container)) {
    const child = container[key];
    if (isDocument(child) || Array.isArray(child)) walk(child, path, i, join(prefix, key), wholeValue, visit);
  }
}

/** Apply `path[i…]` inside the JSON text at `container[key]`; write it back only when changed. */
function insideJson(
  container: Record<string, unknown> | unknown[],
  key: string | number,
  text: string,
  path: FieldPath,
  i: number,
  concrete: string,
  wholeValue: boolean,
  visit: PathVisitor,
): void {
  let parsed: unknown;
  try {
    parsed = EJSON.parse(text, { relaxed: false });
  } catch {
    terminal(container, key, text, concrete, false, visit);
    return;
  }
  if (!isDocument(parsed) && !Array.isArray(parsed)) {
    terminal(container, key, text, concrete, false, visit);
    return;
  }
  let changed = false;
  walk(parsed, path, i, `${concrete}.$json`, wholeValue, (value, at) => {
    const out = visit(value, at);
    if (out !== value) changed = true;
    return out;
  });
  if (changed)
    (container as Record<string | number, unknown>)[key] = EJSON.stringify(parsed, { relaxed: true });
}

function join(prefix: string, key: string): string {
  return prefix ? `${prefix}.${key}` : key;
}
