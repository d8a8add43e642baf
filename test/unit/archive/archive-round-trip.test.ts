import { Writable } from 'node:stream';
import {
  Binary,
  BSON,
  BSONRegExp,
  BSONSymbol,
  Code,
  Decimal128,
  Double,
  Int32,
  Long,
  MaxKey,
  MinKey,
  ObjectId,
  Timestamp,
  UUID,
} from 'bson';
import { describe, expect, it } from 'vitest';
import { MAX_BSON_SIZE, crc64, crc64Hex, readArchive, writeArchive } from '../../../src/archive/index.js';
import type { DumpEvent } from '../../../src/core/dump-event.js';
import { encodeNamespaceHeader } from '../../../src/archive/namespace-header.js';
import {
  archiveBytes,
  chunked,
  doc,
  end,
  entry,
  normalize,
  prelude,
  readAll,
  rejection,
} from './archive-test-kit.js';

/** Every BSON type the `bson` package can build, plus nesting. */
function typeZoo(): Uint8Array[] {
  const docs: Record<string, unknown>[] = [
    {
      _id: new ObjectId('65a1b2c3d4e5f60718293a4b'),
      double: new Double(1.5),
      negZero: new Double(-0),
      nan: new Double(NaN),
      inf: new Double(Infinity),
      negInf: new Double(-Infinity),
      wholeDouble: new Double(2),
      string: 'héllo wörld ☃ 𝄞',
      empty: '',
      int32: new Int32(-2147483648),
      int64: Long.fromString('9223372036854775807'),
      int64neg: Long.fromBigInt(-1n),
      decimal: Decimal128.fromString('1234567890.123456789012345678901234'),
      decimalNaN: Decimal128.fromString('NaN'),
      bool: true,
      boolFalse: false,
      date: new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 678)),
      dateNeg: new Date(-86400000),
      null: null,
      regex: new BSONRegExp('^a.*b$', 'imsux'),
      code: new Code('function () { return 1; }'),
      codeWithScope: new Code('function () { return x; }', { x: new Int32(1) }),
      symbol: new BSONSymbol('sym'),
      timestamp: new Timestamp({ t: 1700000000, i: 42 }),
      minKey: new MinKey(),
      maxKey: new MaxKey(),
      bin0: new Binary(Buffer.from([0, 1, 2, 255]), 0),
      bin3: new Binary(Buffer.from('0123456789abcdef0123456789abcdef', 'hex'), 3),
      bin4: new UUID('f47ac10b-58cc-4372-a567-0e02b2c3d479').toBinary(),
      bin5: new Binary(Buffer.alloc(16, 7), 5),
      bin128: new Binary(Buffer.from('custom'), 128),
      binEmpty: new Binary(Buffer.alloc(0), 0),
      nested: { a: { b: { c: [new Int32(1), [new Int32(2), [new Int32(3), []]], { d: 'e' }] } } },
      arrayOfDocs: [{ x: new Int32(1) }, { y: [new Long(2), new Double(3)] }],
      'key.with.dots': 1,
      $dollar: 'key',
    },
    {},
    { _id: new Int32(2) },
  ];
  return docs.map((d) => BSON.serialize(d));
}

/** BSON types `bson` cannot serialize (undefined 0x06, DBPointer 0x0C), built by hand. */
function deprecatedTypes(): Uint8Array {
  const body = Buffer.concat([
    Buffer.from([0x06]),
    Buffer.from('u\0'),
    Buffer.from([0x0c]),
    Buffer.from('p\0'),
    Buffer.from([4, 0, 0, 0]),
    Buffer.from('a.b\0'),
    Buffer.from('65a1b2c3d4e5f60718293a4b', 'hex'),
  ]);
  const length = 4 + body.length + 1;
  const out = Buffer.concat([Buffer.alloc(4), body, Buffer.from([0])]);
  out.writeInt32LE(length, 0);
  return out;
}

/** A document as close to 16 MiB as possible: one binary field filling the rest. */
function nearMaxDocument(): Uint8Array {
  // {_id: int32, b: binary(n)}: 4 + (1+4+4) + (1+2+4+1+n) + 1 = 22 + n
  const n = MAX_BSON_SIZE - 22;
  const bytes = BSON.serialize({ _id: new Int32(99), b: new Binary(Buffer.alloc(n, 0xab), 0) });
  return bytes;
}

describe('archive writer → reader', () => {
  it('round-trips a BSON type zoo byte for byte, in order, with CRCs', async () => {
    const ns = { db: 'zoo', collection: 'types' };
    const docs = [...typeZoo(), deprecatedTypes()];
    const events: DumpEvent[] = [prelude([entry('zoo', 'types')]), ...docs.map((d) => doc(ns, d)), end(ns)];
    const { bytes, result } = await archiveBytes(events);
    const read = await readAll(bytes, {}, 13);
    expect(
      read.filter((e) => e.type === 'document').map((e) => Buffer.from((e as { bson: Uint8Array }).bson)),
    ).toEqual(docs.map((d) => Buffer.from(d)));
    const expectedCrc = crc64(Buffer.concat(docs));
    expect(read.at(-1)).toEqual({ type: 'end', namespace: ns, crc64: expectedCrc });
    expect(result.collections[0]).toMatchObject({
      namespace: 'zoo.types',
      documents: docs.length,
      bytes: Buffer.concat(docs).length,
      crc64: crc64Hex(expectedCrc),
    });
    // idempotent: writing what was read gives the same bytes
    const again = await archiveBytes(read);
    expect(again.bytes.equals(bytes)).toBe(true);
  });

  it('round-trips a document of exactly 16 MiB and rejects one byte more', async () => {
    const ns = { db: 'big', collection: 'one' };
    const big = nearMaxDocument();
    expect(big.length).toBe(MAX_BSON_SIZE);
    const { bytes } = await archiveBytes([prelude([entry('big', 'one')]), doc(ns, big), end(ns)]);
    const read = await readAll(bytes);
    const document = read.find((e) => e.type === 'document') as { bson: Uint8Array };
    expect(Buffer.compare(Buffer.from(document.bson), Buffer.from(big))).toBe(0);

    const tooBig = Buffer.alloc(MAX_BSON_SIZE + 1);
    tooBig.writeInt32LE(tooBig.length, 0);
    const error = await rejection(archiveBytes([prelude([entry('big', 'one')]), doc(ns, tooBig), end(ns)]));
    expect(error.code).toBe('ARCHIVE_BAD_LENGTH');
    expect(error.subject.namespace).toBe('big.one');
  });

  it('keeps interleaved namespaces and end positions exactly, and writes mongodump segments', async () => {
    const a = { db: 'd', collection: 'a' };
    const b = { db: 'd', collection: 'b' };
    const c = { db: 'd', collection: 'c' };
    const d = (i: number) => BSON.serialize({ _id: new Int32(i) });
    const events: DumpEvent[] = [
      prelude([entry('d', 'a'), entry('d', 'b'), entry('d', 'c')], 3),
      doc(a, d(1)),
      doc(a, d(2)),
      doc(b, d(3)),
      doc(a, d(4)),
      end(c),
      doc(b, d(5)),
      end(a),
      doc(b, d(6)),
      end(b),
    ];
    const { bytes } = await archiveBytes(events);
    const read = await readAll(bytes, {}, 5);
    const withoutCrc = read.map((e) =>
      e.type === 'end' ? { type: 'end' as const, namespace: e.namespace } : e,
    );
    expect(normalize(withoutCrc)).toEqual(normalize(events));

    // segment headers: a, b, a, c(empty), b, then EOF a, b(again after EOF a), EOF b
    const header = (ns: { db: string; collection: string }, eof = false, crc = 0n) =>
      Buffer.from(encodeNamespaceHeader({ ...ns, eof, crc }));
    const TERM = Buffer.from([0xff, 0xff, 0xff, 0xff]);
    const crcOf = (...ids: number[]) => crc64(Buffer.concat(ids.map(d)));
    const expectedData = Buffer.concat([
      header(a),
      d(1),
      d(2),
      TERM,
      header(b),
      d(3),
      TERM,
      header(a),
      d(4),
      TERM,
      header(c), // empty collection: an empty segment, then its EOF
      TERM,
      header(c, true, 0n),
      TERM,
      header(b),
      d(5),
      TERM, // end(a) while b's segment is open: TERM, EOF a, TERM
      header(a, true, crcOf(1, 2, 4)),
      TERM,
      header(b),
      d(6),
      TERM,
      header(b, true, crcOf(3, 5, 6)),
      TERM,
    ]);
    expect(bytes.subarray(bytes.length - expectedData.length).equals(expectedData)).toBe(true);
  });

  it('writes the empty-collection segment header of the spec example (55 bytes for test.c)', async () => {
    const ns = { db: 'test', collection: 'c' };
    const { bytes } = await archiveBytes([prelude([entry('test', 'c')]), end(ns)]);
    const segment = Buffer.from(
      [
        '37000000',
        '02',
        '646200',
        '05000000',
        '7465737400',
        '02',
        '636f6c6c656374696f6e00',
        '02000000',
        '6300',
        '08',
        '454f4600',
        '00',
        '12',
        '43524300',
        '0000000000000000',
        '00',
      ].join(''),
      'hex',
    );
    expect(segment.length).toBe(55);
    const TERM = 'ffffffff';
    const eof = Buffer.from(segment);
    eof[eof.length - 15] = 1; // EOF: true
    expect(bytes.toString('hex').endsWith(segment.toString('hex') + TERM + eof.toString('hex') + TERM)).toBe(
      true,
    );
    const read = await readAll(bytes);
    expect(read.map((e) => e.type)).toEqual(['prelude', 'end']);
    expect(read[1]).toEqual({ type: 'end', namespace: ns, crc64: 0n });
  });

  it('writes the header fields mongodump writes (int32 concurrent_collections, version 0.1, versions)', async () => {
    const ns = { db: 'x', collection: 'y' };
    const { bytes } = await archiveBytes([prelude([entry('x', 'y')], 4), end(ns)], {
      toolVersion: 'dbfork 9',
    });
    expect(bytes.subarray(0, 4).toString('hex')).toBe('6de29981');
    const headerLength = bytes.readInt32LE(4);
    const header = BSON.deserialize(bytes.subarray(4, 4 + headerLength), { promoteValues: false });
    expect(Object.keys(header)).toEqual([
      'concurrent_collections',
      'version',
      'server_version',
      'tool_version',
    ]);
    expect(header.concurrent_collections).toEqual(new Int32(4));
    expect(header).toMatchObject({ version: '0.1', server_version: '7.0.42', tool_version: 'dbfork 9' });
    const entryBytes = bytes.subarray(
      4 + headerLength,
      4 + headerLength + bytes.readInt32LE(4 + headerLength),
    );
    const prel = BSON.deserialize(entryBytes, { promoteValues: false });
    expect(Object.keys(prel)).toEqual(['db', 'collection', 'metadata', 'size', 'type']);
    expect(prel.size).toEqual(new Int32(0));
  });

  it('gzips the whole stream when asked, and the reader detects it', async () => {
    const ns = { db: 'g', collection: 'z' };
    const docs = typeZoo();
    const events = [prelude([entry('g', 'z')]), ...docs.map((d) => doc(ns, d)), end(ns)];
    const plain = await archiveBytes(events);
    const gz = await archiveBytes(events, { gzip: true });
    expect(gz.bytes.subarray(0, 2).toString('hex')).toBe('1f8b');
    expect(gz.result.bytesWritten).toBe(gz.bytes.length);
    expect(gz.result.archiveBytes).toBe(plain.bytes.length);
    expect(normalize(await readAll(gz.bytes, {}, 3))).toEqual(normalize(await readAll(plain.bytes)));
  });

  it('recomputes CRCs instead of copying the end event crc64 (a transform changed the documents)', async () => {
    const ns = { db: 't', collection: 'x' };
    const d = BSON.serialize({ _id: new Int32(1) });
    const { bytes } = await archiveBytes([
      prelude([entry('t', 'x')]),
      doc(ns, d),
      { type: 'end', namespace: ns, crc64: 12345n },
    ]);
    const read = await readAll(bytes);
    expect(read.at(-1)).toEqual({ type: 'end', namespace: ns, crc64: crc64(d) });
  });

  it('declares concurrent_collections and refuses to interleave more namespaces than declared', async () => {
    const a = { db: 'd', collection: 'a' };
    const b = { db: 'd', collection: 'b' };
    const d = BSON.serialize({ _id: new Int32(1) });
    const events = [prelude([entry('d', 'a'), entry('d', 'b')], 1), doc(a, d), doc(b, d), end(a), end(b)];
    const error = await rejection(archiveBytes(events));
    expect(error.code).toBe('ARCHIVE_TOO_MANY_OPEN');
    expect(error.subject.namespace).toBe('d.b');
    const ok = await archiveBytes(events, { concurrentCollections: 2 });
    expect(ok.bytes.readInt32LE(4 + 4 + 1 + 'concurrent_collections'.length + 1)).toBe(2);
    // sequential namespaces are fine with 1
    await archiveBytes([
      prelude([entry('d', 'a'), entry('d', 'b')], 1),
      doc(a, d),
      end(a),
      doc(b, d),
      end(b),
    ]);
  });

  it('checks the event stream contract before writing', async () => {
    const a = { db: 'd', collection: 'a' };
    const d = BSON.serialize({ _id: new Int32(1) });
    const cases: [DumpEvent[], string][] = [
      [[doc(a, d)], 'ARCHIVE_BAD_EVENT_ORDER'],
      [[prelude([entry('d', 'a')]), prelude([entry('d', 'a')])], 'ARCHIVE_BAD_EVENT_ORDER'],
      [[prelude([entry('d', 'a')]), doc({ db: 'd', collection: 'zz' }, d)], 'ARCHIVE_UNKNOWN_NAMESPACE'],
      [[prelude([entry('d', 'a')]), end(a), doc(a, d)], 'ARCHIVE_NAMESPACE_REOPENED'],
      [[prelude([entry('d', 'a')]), end(a), end(a)], 'ARCHIVE_NAMESPACE_REOPENED'],
      [[prelude([entry('d', 'a')]), doc(a, d)], 'ARCHIVE_NOT_CLOSED'],
      [[prelude([entry('d', 'a'), entry('d', 'a')])], 'ARCHIVE_BAD_HEADER'],
      [[prelude([entry('d', 'a')]), doc(a, d.subarray(0, 4))], 'ARCHIVE_BAD_LENGTH'],
      [[prelude([entry('d', 'a')]), doc(a, Buffer.from([5, 0, 0, 0, 1]))], 'ARCHIVE_BAD_DOCUMENT'],
      [[], 'ARCHIVE_BAD_EVENT_ORDER'],
    ];
    for (const [events, code] of cases) expect((await rejection(archiveBytes(events))).code).toBe(code);
  });

  it('pulls source bytes only as events are consumed, and releases the source on early exit', async () => {
    const ns = { db: 'p', collection: 'q' };
    const docs = Array.from({ length: 2000 }, (_, i) =>
      BSON.serialize({ _id: new Int32(i), pad: 'x'.repeat(200) }),
    );
    const { bytes } = await archiveBytes([
      prelude([entry('p', 'q')]),
      ...docs.map((d) => doc(ns, d)),
      end(ns),
    ]);
    let pulled = 0;
    let released = false;
    async function* source(): AsyncGenerator<Uint8Array> {
      try {
        for (let i = 0; i < bytes.length; i += 1024) {
          pulled++;
          yield bytes.subarray(i, i + 1024);
        }
      } finally {
        released = true;
      }
    }
    let seen = 0;
    for await (const event of readArchive(source())) {
      if (event.type === 'document' && ++seen === 10) break;
    }
    expect(Math.ceil(bytes.length / 1024)).toBeGreaterThan(400);
    expect(pulled).toBeLessThan(10); // ~3 KB read for 10 documents of ~230 bytes
    expect(released).toBe(true);
  });

  it('waits for the output to drain: the producer is never far ahead of a slow writer', async () => {
    const ns = { db: 's', collection: 'w' };
    const docSize = BSON.serialize({ _id: new Int32(0), pad: 'y'.repeat(1000) }).length;
    let produced = 0;
    let consumedBytes = 0;
    let maxAhead = 0;
    async function* events(): AsyncGenerator<DumpEvent> {
      yield prelude([entry('s', 'w')]);
      for (let i = 0; i < 3000; i++) {
        produced++;
        maxAhead = Math.max(maxAhead, produced - Math.floor(consumedBytes / docSize));
        yield doc(ns, BSON.serialize({ _id: new Int32(i), pad: 'y'.repeat(1000) }));
      }
      yield end(ns);
    }
    const slow = new Writable({
      highWaterMark: 16 * 1024,
      write(chunk: Buffer, _enc, callback) {
        setTimeout(() => {
          consumedBytes += chunk.length;
          callback();
        }, 1);
      },
    });
    const result = await writeArchive(events(), slow);
    expect(result.collections[0]?.documents).toBe(3000);
    // at most the 256 KiB coalescing buffer + the stream's 16 KiB high-water mark + one write in flight
    const bound = Math.ceil((2 * 256 * 1024 + 16 * 1024) / docSize) + 4;
    expect(maxAhead).toBeLessThanOrEqual(bound);
    expect(maxAhead).toBeLessThan(3000 / 4);
  });

  it('reads across every chunking of the input identically', async () => {
    const a = { db: 'c', collection: 'k' };
    const docs = typeZoo();
    const { bytes } = await archiveBytes([prelude([entry('c', 'k')]), ...docs.map((d) => doc(a, d)), end(a)]);
    const reference = normalize(await readAll(bytes));
    for (const size of [1, 2, 3, 4, 5, 31, 4096]) {
      const events: DumpEvent[] = [];
      for await (const e of readArchive(chunked(bytes, size))) events.push(e);
      expect(normalize(events)).toEqual(reference);
    }
  });
});
