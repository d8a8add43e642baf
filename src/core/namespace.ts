/** A MongoDB namespace: `<db>.<collection>`. The collection part may itself contain dots. */
export interface Namespace {
  readonly db: string;
  readonly collection: string;
}

/** `db.collection` (the database name never contains a dot). */
export function formatNamespace(ns: Namespace): string {
  return `${ns.db}.${ns.collection}`;
}

/** Split at the first dot. Returns undefined when there is no dot or either side is empty. */
export function parseNamespace(text: string): Namespace | undefined {
  const dot = text.indexOf('.');
  if (dot <= 0 || dot === text.length - 1) return undefined;
  return { db: text.slice(0, dot), collection: text.slice(dot + 1) };
}

/** The oplog of a `mongodump --oplog` dump: namespace `{db: "", collection: "oplog"}`. */
export function isDumpOplog(ns: Namespace): boolean {
  return ns.db === '' && ns.collection === 'oplog';
}
