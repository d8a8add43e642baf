import { parseNamespace, type Namespace } from '../../core/namespace.js';
import { isDocument } from '../bson-value.js';

/** Commands whose entries change structure only; kept when they carry no literal. */
const STRUCTURAL = new Set([
  'create',
  'drop',
  'dropDatabase',
  'createIndexes',
  'dropIndexes',
  'deleteIndexes',
  'startIndexBuild',
  'commitIndexBuild',
  'abortIndexBuild',
  'renameCollection',
  'collMod',
]);

/** Option names under which a command carries values of documents (query literals, pipelines). */
const LITERAL_KEYS = new Set(['validator', 'partialFilterExpression', 'pipeline', 'viewOn']);

export type CommandTarget =
  { readonly ok: true; readonly namespace: Namespace | null } | { readonly ok: false; readonly why: string };

/**
 * The collection a command entry (`op: 'c'`, `ns: '<db>.$cmd'`) acts on, when the entry can be
 * kept under rules: a structural command (see {@link STRUCTURAL}) with no literal anywhere in it.
 * `dropDatabase` acts on no one collection (`namespace: null`). Entry shapes as mongod logs them
 * (`o: {create: "<coll>", …}`, `o: {renameCollection: "<db.coll>", to: "<db.coll>"}`).
 */
export function oplogCommandTarget(entry: Record<string, unknown>): CommandTarget {
  const o = entry.o;
  const db = typeof entry.ns === 'string' ? entry.ns.split('.')[0] : undefined;
  if (!isDocument(o) || !db) return { ok: false, why: 'a command entry without a command document' };
  const name = Object.keys(o)[0] ?? '';
  if (!STRUCTURAL.has(name))
    return { ok: false, why: `the command ${name} is not one that can be kept under rules` };
  if (carriesLiteral(o))
    return { ok: false, why: `the ${name} command carries literals (validator, filter or pipeline)` };
  const arg = o[name];
  if (name === 'renameCollection')
    return { ok: true, namespace: typeof arg === 'string' ? (parseNamespace(arg) ?? null) : null };
  if (name === 'dropDatabase' || typeof arg !== 'string') return { ok: true, namespace: null };
  return { ok: true, namespace: { db, collection: arg } };
}

function carriesLiteral(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(carriesLiteral);
  if (!isDocument(value)) return false;
  return Object.entries(value).some(([k, v]) => LITERAL_KEYS.has(k) || carriesLiteral(v));
}
