/**
 * The hidden member's connection string with the user and password from Parameter Store: credentials
 * inserted (URI-encoded), `authSource=admin` unless given, `directConnection=true` unless given (a
 * hidden member is never found through the replica set). The result holds a password: wrap it in a
 * `Secret` at once.
 */
export function memberUri(uri: string, credentials?: { username: string; password: string }): string {
  let out = uri;
  const add = (option: string, value: string): void => {
    if (new RegExp(`[?&]${option}=`, 'i').test(out)) return;
    const hasQuery = out.includes('?');
    const base = hasQuery ? out : /^[^/]*\/\/[^/]+$/.test(out) ? `${out}/` : out;
    out = `${base}${hasQuery ? '&' : '?'}${option}=${value}`;
  };
  add('directConnection', 'true');
  if (credentials) {
    out = out.replace(
      /^(mongodb(?:\+srv)?:\/\/)(?:[^@/]*@)?/i,
      `$1${encodeURIComponent(credentials.username)}:${encodeURIComponent(credentials.password)}@`,
    );
    add('authSource', 'admin');
  }
  return out;
}
