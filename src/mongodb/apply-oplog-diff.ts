import type { Document } from 'mongodb';

const isObject = (v: unknown): v is Document =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;

/**
 * Apply a `$v: 2` oplog diff to a decoded document in place, as mongod's `doc_diff` applier does
 * (src/mongo/db/update/document_diff_applier.cpp): `d` removes fields, `u` sets them, `i` appends
 * them, `s<field>` applies a sub-diff to an embedded document, or (with `a: true`) to an array:
 * `l` truncates or extends it to that length (extending with nulls), `u<index>` sets an element,
 * `s<index>` applies a sub-diff to one. Applying a diff twice gives the same document (the replay
 * of a retried restore relies on it).
 *
 * @throws Error for a section the format does not have
 */
export function applyOplogDiff(document: Document, diff: Document): void {
  for (const [key, section] of Object.entries(diff)) {
    if (key === 'd') {
      for (const field of Object.keys(section as Document)) delete document[field];
    } else if (key === 'u' || key === 'i') {
      for (const [field, value] of Object.entries(section as Document)) {
        if (key === 'i') delete document[field];
        document[field] = value;
      }
    } else if (key.startsWith('s') && key.length > 1) {
      const field = key.slice(1);
      const sub = section as Document;
      if (sub.a === true) {
        if (!Array.isArray(document[field])) document[field] = [];
        applyArrayDiff(document[field] as unknown[], sub);
      } else {
        if (!isObject(document[field])) document[field] = {};
        applyOplogDiff(document[field] as Document, sub);
      }
    } else {
      throw new Error(`unknown diff section ${key}`);
    }
  }
}

function applyArrayDiff(array: unknown[], diff: Document): void {
  for (const [key, section] of Object.entries(diff)) {
    if (key === 'a') continue;
    if (key === 'l') {
      const length = Number(section);
      if (array.length > length) array.length = length;
      while (array.length < length) array.push(null);
      continue;
    }
    const index = Number(key.slice(1));
    if (!Number.isInteger(index)) throw new Error(`unknown array diff section ${key}`);
    while (array.length <= index) array.push(null);
    if (key.startsWith('u')) array[index] = section;
    else if (key.startsWith('s')) {
      const sub = section as Document;
      if (sub.a === true) {
        if (!Array.isArray(array[index])) array[index] = [];
        applyArrayDiff(array[index] as unknown[], sub);
      } else {
        if (!isObject(array[index])) array[index] = {};
        applyOplogDiff(array[index] as Document, sub);
      }
    } else throw new Error(`unknown array diff section ${key}`);
  }
}
