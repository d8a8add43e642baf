import { isDocument } from '../bson-value.js';
import { TypeMismatch } from '../field-transform.js';

/** Refuse documents and arrays: transforms that hash a value accept scalars only. */
export function requireScalar(value: unknown): void {
  if (Array.isArray(value) || isDocument(value)) throw new TypeMismatch('a scalar value (not a document)');
}

/** Accept strings only. */
export function requireString(value: unknown, what = 'a string'): string {
  if (typeof value !== 'string') throw new TypeMismatch(what);
  return value;
}
