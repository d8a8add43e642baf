/**
 * Namespace globs for `--include` / `--exclude`: `*` matches any run of characters except a dot in
 * the db part, anything in the collection part; `?` one character. A pattern without a dot matches
 * the collection name alone (`users`, `audit_*`); with a dot, the full namespace (`shop.orders`, `*.users`).
 */
function namespaceGlob(pattern: string): (db: string, collection: string) => boolean {
  const dot = pattern.indexOf('.');
  if (dot < 0) {
    const coll = globToRegExp(pattern, true);
    return (_db, collection) => coll.test(collection);
  }
  const dbPart = globToRegExp(pattern.slice(0, dot), false);
  const collPart = globToRegExp(pattern.slice(dot + 1), true);
  return (db, collection) => dbPart.test(db) && collPart.test(collection);
}

function globToRegExp(glob: string, dotsAllowed: boolean): RegExp {
  const body = glob
    .split('')
    .map((c) =>
      c === '*' ? (dotsAllowed ? '.*' : '[^.]*') : c === '?' ? '.' : c.replace(/[\\^$+.()|{}[\]]/g, '\\$&'),
    )
    .join('');
  return new RegExp(`^${body}$`);
}

/** Included when it matches some include (or there are none) and no exclude. */
export function namespaceSelector(
  include: readonly string[],
  exclude: readonly string[],
): (db: string, collection: string) => boolean {
  const inc = include.map(namespaceGlob);
  const exc = exclude.map(namespaceGlob);
  return (db, collection) =>
    (inc.length === 0 || inc.some((m) => m(db, collection))) && !exc.some((m) => m(db, collection));
}

/**
 * Whether a database may hold a namespace the includes take, judged by its name alone: true when
 * there are no includes or one has no db part (`users`), else when some include's db glob matches.
 * Lets a whole-server capture skip databases without listing their collections.
 */
export function databaseSelector(include: readonly string[]): (db: string) => boolean {
  if (include.length === 0 || include.some((p) => !p.includes('.'))) return () => true;
  const parts = include.map((p) => globToRegExp(p.slice(0, p.indexOf('.')), false));
  return (db) => parts.some((r) => r.test(db));
}
