import type { RelationEntry } from '../config/relations-schema.js';

/** One end of a relation: a collection and a dot path in its documents. */
export interface FieldRef {
  readonly collection: string;
  readonly path: string;
}

/** A reference: values at `from` equal values at `to` (BSON-typed equality). */
export interface Relation {
  readonly from: FieldRef;
  readonly to: FieldRef;
}

/** `customers.accounts` → `{collection: 'customers', path: 'accounts'}` (the first dot splits). */
export function parseFieldRef(text: string): FieldRef {
  const dot = text.indexOf('.');
  return { collection: text.slice(0, dot), path: text.slice(dot + 1) };
}

/** Relations as the configuration writes them (`{from: 'a.x', to: 'b.y'}`). */
export function relationsFrom(entries: readonly RelationEntry[]): Relation[] {
  return entries.map((e) => ({ from: parseFieldRef(e.from), to: parseFieldRef(e.to) }));
}

/** `a.x → b.y`, for reports. */
export function formatRelation(relation: Relation): string {
  return `${relation.from.collection}.${relation.from.path} → ${relation.to.collection}.${relation.to.path}`;
}
