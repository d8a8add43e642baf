import type { Namespace } from '../core/namespace.js';
import { parseNamespace } from '../core/namespace.js';
import { isDocument } from '../transform/bson-value.js';

/** A document carried by an oplog entry: the inserted or updated document, or the update's criteria. */
export interface OplogDocument {
  /** The namespace the entry applies to (`ns`). */
  readonly namespace: Namespace;
  /** `o` (the document, update or command) or `o2` (the update's criteria). */
  readonly field: 'o' | 'o2';
  readonly document: Record<string, unknown>;
}

/**
 * The documents an oplog entry carries, as mongodump's `--oplog` writes them: `o` and `o2` of
 * CRUD entries, and those of every entry nested in a command's `applyOps` (transactions), to any
 * depth. Entries without a `<db>.<collection>` namespace (no-ops, database commands) carry
 * nothing scanned here, except their `applyOps`.
 */
export function oplogDocuments(entry: Record<string, unknown>): OplogDocument[] {
  const out: OplogDocument[] = [];
  const visit = (e: Record<string, unknown>): void => {
    const o = e.o;
    if (isDocument(o) && Array.isArray(o.applyOps)) {
      for (const inner of o.applyOps) if (isDocument(inner)) visit(inner);
      return;
    }
    const namespace = typeof e.ns === 'string' ? parseNamespace(e.ns) : undefined;
    if (!namespace || namespace.collection === '$cmd') return;
    if (isDocument(o)) out.push({ namespace, field: 'o', document: o });
    if (isDocument(e.o2)) out.push({ namespace, field: 'o2', document: e.o2 });
  };
  visit(entry);
  return out;
}
