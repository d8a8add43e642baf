/**
 * Secret redaction. Everything dbfork prints or logs passes through {@link scrub}, which removes
 * the password part of any connection string and every secret value registered with
 * {@link registerSecret} (URI passwords, anonymization keys, cloud credentials).
 */

const MASK = '***';
const secrets = new Set<string>();

/** Remember a secret value so that {@link scrub} removes it from any text. Short values (< 4 chars) are ignored. */
export function registerSecret(value: string | undefined | null): void {
  if (value && value.length >= 4) {
    secrets.add(value);
    const encoded = encodeURIComponent(value);
    if (encoded !== value) secrets.add(encoded);
  }
}

// scheme://user:password@host → scheme://user:***@host (any scheme: mongodb, mongodb+srv, postgres, s3…)
const URI_CREDENTIALS = /([a-z][a-z0-9+.-]*:\/\/)([^:@/\s]*):([^@/\s]*)@/gi;

// connection string options that carry a secret (as plans refuse them, see plan/secret-ref.ts)
const SECRET_OPTIONS =
  /([?&](?:password|authMechanismProperties|tlsCertificateKeyFilePassword|sslPEMKeyPassword)=)[^&#\s"'<>]*/gi;

/**
 * Remove credentials from a connection string or URL, keeping the user name: the password and the
 * values of secret options.
 * Shape: `mongodb://user:pass@h:1/db?x&tlsCertificateKeyFilePassword=s` →
 * `mongodb://user:***@h:1/db?x&tlsCertificateKeyFilePassword=***`.
 */
export function redactUri(uri: string): string {
  return uri
    .replace(URI_CREDENTIALS, (_m, scheme: string, user: string) => `${scheme}${user}:${MASK}@`)
    .replace(SECRET_OPTIONS, `$1${MASK}`);
}

/**
 * Remove credentials and all user info from a connection string, and mask secret options' values:
 * for manifests and records (`mongodb://u:p@h/?tlsCertificateKeyFilePassword=s` →
 * `mongodb://h/?tlsCertificateKeyFilePassword=***`).
 */
export function stripUriCredentials(uri: string): string {
  return uri.replace(/([a-z][a-z0-9+.-]*:\/\/)[^@/\s]*@/gi, '$1').replace(SECRET_OPTIONS, `$1${MASK}`);
}

/** Scrub every known secret, age identity and URI password from a text. */
export function scrub(text: string): string {
  // age identities, wherever they come from (a mistyped --recipient, a quoted file line)
  let out = redactUri(text).replace(/AGE-SECRET-KEY-(PQ-)?1[0-9A-Z]+/g, MASK);
  for (const secret of secrets) {
    if (out.includes(secret)) out = out.split(secret).join(MASK);
  }
  return out;
}

/** Register the password of a connection string as a secret (so driver messages quoting it are scrubbed). */
export function registerUriSecrets(uri: string): void {
  const match = /^[a-z][a-z0-9+.-]*:\/\/([^@/\s]*)@/i.exec(uri);
  const userinfo = match?.[1];
  if (!userinfo) return;
  const colon = userinfo.indexOf(':');
  if (colon < 0) return;
  const password = userinfo.slice(colon + 1);
  registerSecret(password);
  try {
    registerSecret(decodeURIComponent(password));
  } catch {
    // not percent-encoded: the raw form is registered already
  }
}
