/**
 * Mutations of real dump bytes for fuzz tests: the frame map of an archive or `.bson` file (so a test
 * knows whether a byte sits under a namespace's CRC) and fast-check arbitraries of the damage a disk,
 * a network or a careless edit does: bit flips, byte overwrites, truncations, corrupted or oversized
 * length fields, missing terminators.
 */
import fc from 'fast-check';

/** What a frame of a dump is (archive layout: docs/archive-format.md). */
export type FrameRole = 'magic' | 'header' | 'prelude' | 'namespace' | 'document' | 'terminator';

export interface FrameSpan {
  readonly role: FrameRole;
  readonly offset: number;
  readonly length: number;
}

/** The frames of an intact archive, in order. */
export function archiveFrames(bytes: Uint8Array): FrameSpan[] {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: FrameSpan[] = [{ role: 'magic', offset: 0, length: 4 }];
  let at = 4;
  let phase: 'header' | 'prelude' | 'namespace' | 'document' = 'header';
  while (at < b.length) {
    const word = b.readUInt32LE(at);
    if (word === 0xffffffff) {
      out.push({ role: 'terminator', offset: at, length: 4 });
      phase = 'namespace';
      at += 4;
      continue;
    }
    out.push({ role: phase, offset: at, length: word });
    at += word;
    if (phase === 'header') phase = 'prelude';
    else if (phase === 'namespace') phase = 'document';
  }
  return out;
}

/** The documents of an intact `.bson` file. */
export function bsonFrames(bytes: Uint8Array): FrameSpan[] {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: FrameSpan[] = [];
  for (let at = 0; at < b.length; at += b.readInt32LE(at))
    out.push({ role: 'document', offset: at, length: b.readInt32LE(at) });
  return out;
}

export type Mutation =
  | { readonly kind: 'flip'; readonly at: number; readonly bit: number }
  | { readonly kind: 'set-byte'; readonly at: number; readonly value: number }
  | { readonly kind: 'truncate'; readonly length: number }
  | { readonly kind: 'length'; readonly frame: number; readonly value: number }
  | { readonly kind: 'drop-terminator'; readonly frame: number };

/** Length values a corrupted length field takes: tiny, negative, just off, over 16 MiB, 2 GB. */
const lengthValues = (actual: number): fc.Arbitrary<number> =>
  fc.oneof(
    fc.constantFrom(
      0,
      1,
      4,
      -1,
      -5,
      0x7fffffff,
      0x80000000 | 0,
      16 * 1024 * 1024 + 1,
      actual - 1,
      actual + 1,
    ),
    fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
  );

/** Any mutation of `bytes` whose frames are `frames`. */
export function mutationOf(bytes: Uint8Array, frames: readonly FrameSpan[]): fc.Arbitrary<Mutation> {
  const lengthFrames = frames.flatMap((f, i) => (f.role === 'magic' || f.role === 'terminator' ? [] : [i]));
  const terminators = frames.flatMap((f, i) => (f.role === 'terminator' ? [i] : []));
  const options: fc.Arbitrary<Mutation>[] = [
    fc.record({ kind: fc.constant('flip' as const), at: fc.nat(bytes.length - 1), bit: fc.nat(7) }),
    fc.record({ kind: fc.constant('set-byte' as const), at: fc.nat(bytes.length - 1), value: fc.nat(255) }),
    fc.record({ kind: fc.constant('truncate' as const), length: fc.nat(bytes.length - 1) }),
    fc.nat(lengthFrames.length - 1).chain((i) => {
      const frame = lengthFrames[i] ?? 0;
      return fc.record({
        kind: fc.constant('length' as const),
        frame: fc.constant(frame),
        value: lengthValues(frames[frame]?.length ?? 0),
      });
    }),
  ];
  if (terminators.length > 0)
    options.push(
      fc.record({
        kind: fc.constant('drop-terminator' as const),
        frame: fc.constantFrom(...terminators),
      }),
    );
  return fc.oneof(...options);
}

/** The mutated copy (the input is not changed). */
export function applyMutation(bytes: Uint8Array, frames: readonly FrameSpan[], m: Mutation): Buffer {
  const out = Buffer.from(bytes);
  switch (m.kind) {
    case 'flip':
      out[m.at] = (out[m.at] ?? 0) ^ (1 << m.bit);
      return out;
    case 'set-byte':
      out[m.at] = m.value;
      return out;
    case 'truncate':
      return out.subarray(0, m.length);
    case 'length':
      out.writeInt32LE(m.value, frames[m.frame]?.offset ?? 0);
      return out;
    case 'drop-terminator': {
      const at = frames[m.frame]?.offset ?? 0;
      return Buffer.concat([out.subarray(0, at), out.subarray(at + 4)]);
    }
  }
}

/** True when the mutation leaves the bytes as they were (a byte set to its own value, say). */
export function isNoOp(bytes: Uint8Array, mutated: Uint8Array): boolean {
  return Buffer.compare(Buffer.from(bytes), Buffer.from(mutated)) === 0;
}

/**
 * True when byte `at` of an intact archive is covered by nothing that checks it: the archive header,
 * the prelude (strings, metadata), or the `CRC` value of a namespace header that is not an EOF header
 * (mongodump writes 0 there and readers ignore it, mongo-tools `archive/parser.go`).
 */
export function isUnchecked(bytes: Uint8Array, frames: readonly FrameSpan[], at: number): boolean {
  const frame = frames.find((f) => at >= f.offset && at < f.offset + f.length);
  if (!frame) return false;
  if (frame.role === 'header' || frame.role === 'prelude') return true;
  if (frame.role !== 'namespace') return false;
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).subarray(
    frame.offset,
    frame.offset + frame.length,
  );
  const eof = b.indexOf(Buffer.from('\x08EOF\x00', 'latin1'));
  const crc = b.indexOf(Buffer.from('\x12CRC\x00', 'latin1'));
  if (eof < 0 || crc < 0 || b[eof + 5] !== 0) return false;
  const value = frame.offset + crc + 5;
  return at >= value && at < value + 8;
}

/** The role of the frame holding byte `at`. */
export function roleAt(frames: readonly FrameSpan[], at: number): FrameRole | undefined {
  return frames.find((f) => at >= f.offset && at < f.offset + f.length)?.role;
}
