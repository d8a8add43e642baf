import { StoreError } from '../errors/index.js';

/**
 * Object keys are relative paths: `/`-separated segments, none empty, `.` or `..`, no NUL or `\`,
 * at most 1024 bytes (S3's limit). They map onto folders and files one to one, so a key can never
 * reach outside the store.
 * @throws StoreError `STORE_BAD_KEY`
 */
export function assertObjectKey(key: string): void {
  const bad =
    key === '' ||
    Buffer.byteLength(key, 'utf8') > 1024 ||
    /[\\\0]/.test(key) ||
    key.split('/').some((segment) => segment === '' || segment === '.' || segment === '..');
  if (bad) throw badKey(key);
}

/**
 * Check a listing prefix: `""` (everything), or a key prefix whose complete segments are valid
 * (it may end in `/` or in a partial segment).
 * @throws StoreError `STORE_BAD_KEY`
 */
export function assertKeyPrefix(prefix: string): void {
  if (prefix === '') return;
  const body = prefix.endsWith('/') ? prefix.slice(0, -1) : prefix;
  if (body === '' || /[\\\0]/.test(prefix)) throw badKey(prefix);
  if (body.split('/').some((segment) => segment === '' || segment === '.' || segment === '..'))
    throw badKey(prefix);
}

/** Key order of listings: by UTF-16 code unit, which is byte order for the ASCII keys dbfork writes. */
export function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function badKey(key: string): StoreError {
  return new StoreError('STORE_BAD_KEY', `not a valid object key: ${JSON.stringify(key)}`, {
    subject: { key },
    hint: 'keys are relative paths of non-empty segments other than . and .., without NUL or \\',
  });
}
