/**
 * Walking the elements of well-formed BSON (bsonspec.org/spec.html) without decoding them: where a
 * value ends, a little-endian int32, an element's name. Callers check the structure first
 * (checkBsonStructure); these functions trust the lengths they read.
 */

/** The int32 (little-endian) at `at`. */
export function int32(b: Uint8Array, at: number): number {
  return (b[at] ?? 0) | ((b[at + 1] ?? 0) << 8) | ((b[at + 2] ?? 0) << 16) | ((b[at + 3] ?? 0) << 24);
}

/** The element name in `raw[from, to)`: ASCII names built directly, others decoded as UTF-8. */
export function keyText(raw: Uint8Array, from: number, to: number, ascii: boolean): string {
  if (!ascii || to - from > 64)
    return Buffer.from(raw.buffer, raw.byteOffset + from, to - from).toString('utf8');
  let key = '';
  for (let j = from; j < to; j++) key += String.fromCharCode(raw[j] ?? 0);
  return key;
}

/** Offset after a value of `type` at `at` (the document is known to be well-formed). */
export function valueEnd(raw: Uint8Array, type: number, at: number): number {
  switch (type) {
    case 0x01:
    case 0x09:
    case 0x11:
    case 0x12:
      return at + 8;
    case 0x07:
      return at + 12;
    case 0x10:
      return at + 4;
    case 0x13:
      return at + 16;
    case 0x08:
      return at + 1;
    case 0x02:
    case 0x0d:
    case 0x0e:
      return at + 4 + int32(raw, at);
    case 0x0c:
      return at + 4 + int32(raw, at) + 12;
    case 0x03:
    case 0x04:
    case 0x0f:
      return at + int32(raw, at);
    case 0x05:
      return at + 5 + int32(raw, at);
    case 0x0b: {
      let i = at;
      while (raw[i] !== 0) i++;
      i++;
      while (raw[i] !== 0) i++;
      return i + 1;
    }
    default:
      return at;
  }
}
