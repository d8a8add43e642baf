import { UsageError } from '../errors/index.js';

const UNITS: Record<string, number> = {
  b: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  kib: 1024,
  mib: 1024 ** 2,
  gib: 1024 ** 3,
};

/**
 * Parse a byte size such as `1048576`, `20MB`, `512KiB` or `1.5GiB` into bytes (rounded down). A bare
 * number is bytes; units are case-insensitive, decimal (kB, MB, GB) or binary (KiB, MiB, GiB).
 * @throws UsageError `CONFIG_BAD_OPTION` when the text is no positive size
 */
export function parseByteSize(text: string, flag = 'size'): number {
  const match = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(text.trim());
  const factor = match ? UNITS[(match[2] || 'b').toLowerCase()] : undefined;
  const bytes = match && factor !== undefined ? Math.floor(Number(match[1]) * factor) : 0;
  if (bytes < 1) {
    throw new UsageError('CONFIG_BAD_OPTION', `${flag} is not a positive byte size: ${text}`, {
      hint: 'use e.g. 2000000, 20MB or 512KiB',
    });
  }
  return bytes;
}
