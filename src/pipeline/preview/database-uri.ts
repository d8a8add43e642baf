/**
 * A connection string with its default database set to `db` (`mongodb://h:1/?x=1` →
 * `mongodb://h:1/app_pr_12?x=1`), for programs that read the database from the URI.
 */
export function databaseUri(uri: string, db: string): string {
  const m = /^(mongodb(?:\+srv)?:\/\/[^/?]*)(?:\/[^?]*)?(\?.*)?$/i.exec(uri);
  if (!m) return uri;
  return `${m[1] ?? ''}/${encodeURIComponent(db)}${m[2] ?? ''}`;
}
