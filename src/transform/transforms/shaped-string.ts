const DIGITS = '0123456789';
const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const HEX_LOWER = '0123456789abcdef';
const HEX_UPPER = '0123456789ABCDEF';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A string rebuilt in the shape of another, and how many bits of randomness it carries. */
export interface Shaped {
  readonly text: string;
  readonly bits: number;
}

/**
 * Replace each character of `value` within its class, drawing from `bytes(n)` (n bytes of keyed
 * randomness; each character consumes 2 bytes, so the modulo bias is < 2⁻¹⁰). A canonical UUID
 * becomes a version-4 UUID of the same case. A prefix up to the last `|` is kept. When the part to
 * replace is all hex (and has a hex letter), hex stays hex in its case; otherwise digits → digits,
 * a–z → a–z, A–Z → A–Z; any other character is kept.
 */
export function shapedString(value: string, bytes: (n: number) => Buffer): Shaped {
  const bar = value.lastIndexOf('|');
  const prefix = value.slice(0, bar + 1);
  const rest = value.slice(bar + 1);
  if (UUID.test(rest)) {
    const upper = rest !== rest.toLowerCase();
    const hex = Buffer.from(bytes(16));
    hex[6] = ((hex[6] ?? 0) & 0x0f) | 0x40;
    hex[8] = ((hex[8] ?? 0) & 0x3f) | 0x80;
    const h = hex.toString('hex');
    const uuid = `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
    return { text: prefix + (upper ? uuid.toUpperCase() : uuid), bits: 122 };
  }
  const chars = [...rest];
  const random = bytes(chars.length * 2);
  const hexMode =
    /^[0-9a-f]+$/.test(rest) && /[a-f]/.test(rest)
      ? HEX_LOWER
      : /^[0-9A-F]+$/.test(rest) && /[A-F]/.test(rest)
        ? HEX_UPPER
        : undefined;
  let bits = 0;
  const out = chars.map((c, i) => {
    const alphabet = hexMode ?? classOf(c);
    if (!alphabet) return c;
    bits += Math.log2(alphabet.length);
    return alphabet[random.readUInt16BE(i * 2) % alphabet.length] ?? c;
  });
  return { text: prefix + out.join(''), bits };
}

function classOf(c: string): string | undefined {
  if (c >= '0' && c <= '9') return DIGITS;
  if (c >= 'a' && c <= 'z') return LOWER;
  if (c >= 'A' && c <= 'Z') return UPPER;
  return undefined;
}
