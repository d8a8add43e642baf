/**
 * UUID byte layouts. RFC 9562 order is big-endian per field. The C# driver's legacy representation
 * (`CSUUID`, binData subtype 3, still common in .NET apps' data) stores a .NET `Guid` as `Guid.ToByteArray()` does:
 * the first three fields little-endian, i.e. bytes 0–3, 4–5 and 6–7 reversed.
 */
export function rfcToCsharpLegacy(rfc: Buffer): Buffer {
  return swapGuidFields(rfc);
}

/** The inverse of {@link rfcToCsharpLegacy} (the swap is its own inverse). */
export function csharpLegacyToRfc(legacy: Buffer): Buffer {
  return swapGuidFields(legacy);
}

function swapGuidFields(bytes: Buffer): Buffer {
  if (bytes.length !== 16) throw new RangeError(`a UUID has 16 bytes, got ${bytes.length}`);
  const out = Buffer.from(bytes);
  out.set(Buffer.from(bytes.subarray(0, 4)).reverse(), 0);
  out.set(Buffer.from(bytes.subarray(4, 6)).reverse(), 4);
  out.set(Buffer.from(bytes.subarray(6, 8)).reverse(), 6);
  return out;
}

/** Set the version (4) and variant (10xx) bits of an RFC-order UUID in place; returns it. */
export function setUuidV4Bits(rfc: Buffer): Buffer {
  rfc[6] = ((rfc[6] ?? 0) & 0x0f) | 0x40;
  rfc[8] = ((rfc[8] ?? 0) & 0x3f) | 0x80;
  return rfc;
}
