import { createHash } from 'node:crypto';

/** Longest escaped name mongodump keeps as is; longer ones are truncated and hashed (spec §9). */
const MAX_ESCAPED_LENGTH = 238;
/** Bytes of the escaped name kept before `%24` + hash when it is too long. */
const TRUNCATED_LENGTH = 208;

const encoder = new TextEncoder();
const HEX = '0123456789ABCDEF';

function isUnreserved(byte: number): boolean {
  return (
    (byte >= 0x41 && byte <= 0x5a) || // A-Z
    (byte >= 0x61 && byte <= 0x7a) || // a-z
    (byte >= 0x30 && byte <= 0x39) || // 0-9
    byte === 0x2d || // -
    byte === 0x5f || // _
    byte === 0x2e || // .
    byte === 0x7e // ~
  );
}

/**
 * Go's `url.QueryEscape`, byte for byte: UTF-8 bytes in `[A-Za-z0-9-_.~]` stay, space becomes `+`,
 * every other byte becomes `%XX` (uppercase hex). Not `encodeURIComponent` (which keeps `!'()*`
 * and writes space as `%20`).
 */
export function queryEscape(text: string): string {
  let out = '';
  for (const byte of encoder.encode(text)) {
    if (isUnreserved(byte)) out += String.fromCharCode(byte);
    else if (byte === 0x20) out += '+';
    else out += '%' + HEX[byte >> 4] + HEX[byte & 15];
  }
  return out;
}

/**
 * Go's `url.QueryUnescape`: `+` → space, `%XX` → byte, then the bytes as UTF-8.
 * @returns undefined when a `%` is not followed by two hex digits or the bytes are not valid UTF-8
 */
export function queryUnescape(text: string): string | undefined {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 0x25) {
      const hex = text.slice(i + 1, i + 3);
      if (!/^[0-9A-Fa-f]{2}$/.test(hex)) return undefined;
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else if (ch === 0x2b) bytes.push(0x20);
    else for (const b of encoder.encode(text[i] as string)) bytes.push(b);
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(bytes));
  } catch {
    return undefined;
  }
}

/**
 * The file-name stem mongodump uses for a collection (`<stem>.bson`, `<stem>.metadata.json`):
 * `url.QueryEscape(name)`; when that is longer than 238 bytes, its first 208 bytes + `%24` +
 * base64url-without-padding(sha1(name)) (mongo-tools `mongodump/prepare.go` `NewIntent`, spec §9), so
 * the longest file name, `<stem>.metadata.json.gz`, fits in 255 bytes. Surrogate halves in `name` are
 * encoded as U+FFFD (UTF-8 cannot carry them).
 */
export function collectionFileStem(name: string): string {
  const escaped = queryEscape(name);
  if (escaped.length <= MAX_ESCAPED_LENGTH) return escaped;
  const hash = createHash('sha1').update(name, 'utf8').digest('base64url');
  return escaped.slice(0, TRUNCATED_LENGTH) + '%24' + hash;
}

/**
 * The collection name a file-name stem stands for (`url.QueryUnescape`), or undefined for an invalid
 * escape. A hashed long name (208 bytes + `%24` + hash) unescapes to a truncated name + `$` + hash:
 * prefer the `collectionName` of the metadata file, as mongorestore does.
 */
export function collectionFromFileStem(stem: string): string | undefined {
  return queryUnescape(stem);
}
