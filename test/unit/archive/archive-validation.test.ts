import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { BSON, Int32, Long } from 'bson';
import { describe, expect, it } from 'vitest';
import { crc64 } from '../../../src/archive/index.js';
import type { DumpEvent } from '../../../src/core/dump-event.js';
import { encodeNamespaceHeader } from '../../../src/archive/namespace-header.js';
import { isDbforkError } from '../../../src/errors/index.js';
import { TOOLS_ARCHIVES } from '../../helpers/servers.js';
import { archiveBytes, int32le, normalize, readAll, rejection } from './archive-test-kit.js';

const fixture = (name: string): Buffer => readFileSync(join(TOOLS_ARCHIVES, name));
const TERM = Buffer.from([0xff, 0xff, 0xff, 0xff]);
const MAGIC = Buffer.from('6de29981', 'hex');

function header(fields: Record<string, unknown> = {}): Buffer {
  return Buffer.from(
    BSON.serialize({
      concurrent_collections: new Int32(1),
      version: '0.1',
      server_version: '7.0.42',
      tool_version: 't',
      ...fields,
    }),
  );
}

function preludeEntry(fields: Record<string, unknown> = {}): Buffer {
  return Buffer.from(
    BSON.serialize({
      db: 'd',
      collection: 'c',
      metadata: '',
      size: new Int32(0),
      type: 'collection',
      ...fields,
    }),
  );
}

function nsHeader(eof: boolean, crc = 0n, ns = { db: 'd', collection: 'c' }): Buffer {
  return Buffer.from(encodeNamespaceHeader({ ...ns, eof, crc }));
}

const D1 = Buffer.from(BSON.serialize({ _id: new Int32(1), v: 'one' }));
const D2 = Buffer.from(BSON.serialize({ _id: new Int32(2), v: 'two' }));

/** A valid archive of one namespace d.c with two documents, built piece by piece. */
function validParts(): Buffer[] {
  return [
    MAGIC,
    header(),
    preludeEntry(),
    TERM,
    nsHeader(false),
    D1,
    D2,
    TERM,
    nsHeader(true, crc64(Buffer.concat([D1, D2]))),
    TERM,
  ];
}

describe('archive reader on real mongodump archives (mongo-tools testdata)', () => {
  it('reads test.bar.archive (tools r3.4.3, no `type` field) with CRCs verified', async () => {
    const events = await readAll(fixture('test.bar.archive'), {}, 10);
    const first = events[0] as Extract<DumpEvent, { type: 'prelude' }>;
    expect(first).toMatchObject({ serverVersion: '3.4.3', toolVersion: 'r3.4.3', concurrentCollections: 4 });
    expect(first.collections.map((c) => [c.namespace.db, c.namespace.collection, c.collectionType])).toEqual([
      ['test', 'bar', ''],
      ['admin', 'system.version', ''],
    ]);
    expect(events.filter((e) => e.type === 'document').map((e) => `${e.namespace.collection}`)).toEqual([
      'system.version',
      'bar',
    ]);
    expect(events.filter((e) => e.type === 'end').map((e) => (e as { crc64: bigint }).crc64)).toEqual([
      0xf685812fd02a263en,
      0x9369f0f35bec50d9n,
    ]);
  });

  it('reads dump-w-oplog.archive, including the oplog intent (db "")', async () => {
    const events = await readAll(fixture('dump-w-oplog.archive'));
    const counts: Record<string, number> = {};
    for (const e of events)
      if (e.type === 'document')
        counts[`${e.namespace.db}.${e.namespace.collection}`] =
          (counts[`${e.namespace.db}.${e.namespace.collection}`] ?? 0) + 1;
    expect(counts).toEqual({ 'test.foo': 25, '.oplog': 18, 'admin.system.version': 1 });
    expect(events.filter((e) => e.type === 'end')).toHaveLength(3);
  });

  it('rewrites the fixtures with identical data sections (only the prelude gains `type` fields)', async () => {
    for (const name of ['test.bar.archive', 'dump-w-oplog.archive']) {
      const original = fixture(name);
      const events = await readAll(original);
      const { bytes } = await archiveBytes(events);
      const entries = (events[0] as Extract<DumpEvent, { type: 'prelude' }>).collections.length;
      const preludeEnd = (b: Buffer) => {
        let p = 4;
        for (let i = 0; i < 1 + entries; i++) p += b.readInt32LE(p);
        return p + 4;
      };
      expect(bytes.subarray(preludeEnd(bytes)).equals(original.subarray(preludeEnd(original)))).toBe(true);
      expect(preludeEnd(bytes) - preludeEnd(original)).toBe(
        entries * Buffer.byteLength('\x02type\0\x01\0\0\0\0'),
      );
      expect(normalize(await readAll(bytes))).toEqual(normalize(events));
    }
  });

  it('rejects bad-format.archive: its metadata is not valid Extended JSON', async () => {
    const error = await rejection(readAll(fixture('bad-format.archive')));
    expect(error.code).toBe('ARCHIVE_BAD_METADATA');
    expect(error.category).toBe('archive');
    expect(error.exitCode).toBe(4);
    expect(error.subject).toMatchObject({ namespace: 'test.ixtest', offset: 106 });
  });
});

describe('archive reader validation', () => {
  it('accepts the hand-built valid archive (the base of the cases below)', async () => {
    const events = await readAll(Buffer.concat(validParts()));
    expect(events.map((e) => e.type)).toEqual(['prelude', 'document', 'document', 'end']);
  });

  it('rejects every truncation of a real archive with TRUNCATED or NOT_CLOSED, never anything else', async () => {
    const original = fixture('test.bar.archive');
    const seen = new Set<string>();
    for (let n = 0; n < original.length; n++) {
      const error = await rejection(readAll(original.subarray(0, n), {}, 64));
      expect(['ARCHIVE_TRUNCATED', 'ARCHIVE_NOT_CLOSED']).toContain(error.code);
      expect(typeof error.subject.offset).toBe('number');
      seen.add(error.code);
    }
    expect(seen).toEqual(new Set(['ARCHIVE_TRUNCATED', 'ARCHIVE_NOT_CLOSED']));
  });

  it('names the namespace and offset when an archive is cut inside a segment', async () => {
    const whole = Buffer.concat(validParts());
    const cutAt = whole.indexOf(D2) + 10;
    const error = await rejection(readAll(whole.subarray(0, cutAt)));
    expect(error.code).toBe('ARCHIVE_TRUNCATED');
    expect(error.subject).toMatchObject({ namespace: 'd.c', offset: whole.indexOf(D2) });
  });

  it('detects a single flipped byte inside any document as a CRC mismatch of its namespace', async () => {
    const original = fixture('dump-w-oplog.archive');
    const events = await readAll(original);
    // byte ranges of the document bodies (after the length word, before the trailing 0x00)
    let checked = 0;
    for (const event of events) {
      if (event.type !== 'document') continue;
      const at = original.indexOf(Buffer.from(event.bson));
      for (const k of [4, Math.floor(event.bson.length / 2), event.bson.length - 2]) {
        const damaged = Buffer.from(original);
        damaged[at + k] = (damaged[at + k] as number) ^ 0x01;
        // objcheck off: this is the CRC's own check (with it on, a flip may be caught earlier)
        const error = await rejection(readAll(damaged, { objcheck: false }));
        expect(error.code).toBe('ARCHIVE_CRC_MISMATCH');
        expect(error.subject.namespace).toBe(`${event.namespace.db}.${event.namespace.collection}`);
        checked++;
      }
    }
    expect(checked).toBe(44 * 3);
  });

  it('never fails with anything but an ArchiveError, whatever byte is flipped', async () => {
    const original = fixture('test.bar.archive');
    let rejected = 0;
    for (let i = 0; i < original.length; i++) {
      const damaged = Buffer.from(original);
      damaged[i] = (damaged[i] as number) ^ 0x80;
      try {
        await readAll(damaged);
      } catch (error) {
        expect(isDbforkError(error) && error.category === 'archive').toBe(true);
        rejected++;
      }
    }
    // only flips in free text (versions, metadata strings, names inside JSON) may go unnoticed
    expect(rejected).toBeGreaterThan(original.length * 0.6);
  });

  it('rejects a bad magic, an empty stream, bad lengths and missing trailing zeros', async () => {
    const parts = validParts();
    const cases: [Buffer, string, number?][] = [
      [Buffer.concat([Buffer.from('00000000', 'hex'), ...parts.slice(1)]), 'ARCHIVE_BAD_MAGIC', 0],
      [Buffer.alloc(0), 'ARCHIVE_TRUNCATED', 0],
      [Buffer.concat([...parts.slice(0, 5), int32le(4), ...parts.slice(6)]), 'ARCHIVE_BAD_LENGTH'],
      [
        Buffer.concat([...parts.slice(0, 5), int32le(16 * 1024 * 1024 + 1), ...parts.slice(6)]),
        'ARCHIVE_BAD_LENGTH',
      ],
      [
        Buffer.concat([
          ...parts.slice(0, 5),
          Buffer.concat([D1.subarray(0, -1), Buffer.from([1])]),
          ...parts.slice(6),
        ]),
        'ARCHIVE_BAD_DOCUMENT',
      ],
    ];
    for (const [bytes, code, offset] of cases) {
      const error = await rejection(readAll(bytes));
      expect(error.code).toBe(code);
      if (offset !== undefined) expect(error.subject.offset).toBe(offset);
    }
    const badLength = await rejection(readAll(cases[2]?.[0] as Buffer));
    expect(badLength.subject).toMatchObject({ offset: Buffer.concat(parts.slice(0, 5)).length });
  });

  it('enforces the block rules: TERM rules, prelude namespaces, no reopen, all closed, CRC', async () => {
    const p = validParts();
    const other = { db: 'd', collection: 'other' };
    const cases: [Buffer[], string, string?][] = [
      // a terminator where a namespace header is due
      [[...p.slice(0, 4), TERM, ...p.slice(4)], 'ARCHIVE_BAD_HEADER'],
      // a terminator where the archive header is due
      [[MAGIC, TERM], 'ARCHIVE_BAD_HEADER'],
      // data for a namespace not in the prelude
      [[...p.slice(0, 4), nsHeader(false, 0n, other), D1, TERM], 'ARCHIVE_UNKNOWN_NAMESPACE', 'd.other'],
      // reopened after EOF
      [[...p, nsHeader(false), D1, TERM], 'ARCHIVE_NAMESPACE_REOPENED', 'd.c'],
      // never closed
      [p.slice(0, 8), 'ARCHIVE_NOT_CLOSED', 'd.c'],
      // documents after an EOF header
      [
        [...p.slice(0, 8), nsHeader(true, crc64(Buffer.concat([D1, D2]))), D1, TERM],
        'ARCHIVE_BAD_HEADER',
        'd.c',
      ],
      // wrong CRC
      [[...p.slice(0, 8), nsHeader(true, 42n), TERM], 'ARCHIVE_CRC_MISMATCH', 'd.c'],
      // a prelude namespace listed twice
      [[MAGIC, header(), preludeEntry(), preludeEntry(), TERM], 'ARCHIVE_BAD_HEADER', 'd.c'],
      // prelude not terminated
      [[MAGIC, header(), preludeEntry()], 'ARCHIVE_TRUNCATED'],
    ];
    for (const [parts, code, namespace] of cases) {
      const error = await rejection(readAll(Buffer.concat(parts)));
      expect(error.code, code).toBe(code);
      if (namespace) expect(error.subject.namespace).toBe(namespace);
    }
  });

  it('checks header field types strictly (100.14 rules) but accepts int32/int64 size and a missing type', async () => {
    const p = validParts();
    const withNs = (h: Buffer) => Buffer.concat([...p.slice(0, 4), h, ...p.slice(5)]);
    const bad: [Buffer, string][] = [
      [
        withNs(Buffer.from(BSON.serialize({ db: 'd', collection: 'c', EOF: false, CRC: new Int32(0) }))),
        'CRC',
      ],
      [withNs(Buffer.from(BSON.serialize({ db: 'd', collection: 'c', EOF: 0, CRC: Long.ZERO }))), 'EOF'],
      [withNs(Buffer.from(BSON.serialize({ db: 1, collection: 'c', EOF: false, CRC: Long.ZERO }))), 'db'],
      [
        withNs(Buffer.from(BSON.serialize({ db: 'd', collection: 'c', EOF: false, CRC: Long.ZERO, x: 1 }))),
        'x',
      ],
      [
        withNs(Buffer.from(BSON.serialize({ db: 'd', collection: '', EOF: false, CRC: Long.ZERO }))),
        'collection',
      ],
      [Buffer.concat([MAGIC, header({ version: '0.2' }), preludeEntry(), TERM]), '0.2'],
      [
        Buffer.concat([MAGIC, header({ concurrent_collections: 'four' }), preludeEntry(), TERM]),
        'concurrent_collections',
      ],
      [Buffer.concat([MAGIC, header(), preludeEntry({ size: 1.5 }), TERM]), 'size'],
      [Buffer.concat([MAGIC, header(), preludeEntry({ metadata: 3 }), TERM]), 'metadata'],
    ];
    for (const [bytes, mentions] of bad) {
      const error = await rejection(readAll(bytes));
      expect(error.code).toBe('ARCHIVE_BAD_HEADER');
      expect(error.message).toContain(mentions);
    }
    const lenient = Buffer.concat([
      MAGIC,
      header(),
      Buffer.from(BSON.serialize({ db: 'd', collection: 'c', metadata: '', size: Long.fromNumber(0) })),
      TERM,
      Buffer.from(BSON.serialize({ db: 'd', collection: 'c' })), // EOF and CRC absent: Go zero values
      D1,
      TERM,
      nsHeader(true, crc64(D1)),
      TERM,
    ]);
    const events = await readAll(lenient);
    expect(events.map((e) => e.type)).toEqual(['prelude', 'document', 'end']);
    expect((events[0] as Extract<DumpEvent, { type: 'prelude' }>).collections[0]?.collectionType).toBe('');
  });

  it('accepts empty segments and a namespace split into many segments', async () => {
    const crc = crc64(Buffer.concat([D1, D2]));
    const bytes = Buffer.concat([
      MAGIC,
      header(),
      preludeEntry(),
      TERM,
      nsHeader(false),
      TERM,
      nsHeader(false),
      D1,
      TERM,
      nsHeader(false),
      TERM,
      nsHeader(false),
      D2,
      TERM,
      nsHeader(true, crc),
      TERM,
    ]);
    const events = await readAll(bytes);
    expect(events.map((e) => e.type)).toEqual(['prelude', 'document', 'document', 'end']);
  });

  it('reports CRCs without failing when verification is off', async () => {
    const p = validParts();
    const events = await readAll(Buffer.concat([...p.slice(0, 8), nsHeader(true, 42n), TERM]), {
      verifyCrc: false,
    });
    expect(events.at(-1)).toEqual({ type: 'end', namespace: { db: 'd', collection: 'c' }, crc64: 42n });
  });

  it('rejects truncated and corrupt gzip with archive errors', async () => {
    const gz = gzipSync(Buffer.concat(validParts()));
    expect((await readAll(gz, {}, 5)).map((e) => e.type)).toEqual(['prelude', 'document', 'document', 'end']);
    const truncated = await rejection(readAll(gz.subarray(0, gz.length - 12)));
    expect(truncated.code).toBe('ARCHIVE_TRUNCATED');
    const corrupt = Buffer.from(gz);
    corrupt[gz.length - 6] = (corrupt[gz.length - 6] as number) ^ 0xff; // the gzip trailer's CRC-32
    const error = await rejection(readAll(corrupt));
    expect(['ARCHIVE_BAD_GZIP', 'ARCHIVE_TRUNCATED']).toContain(error.code);
  });

  it('reads a multi-member gzip (as mongorestore does)', async () => {
    const whole = Buffer.concat(validParts());
    const twoMembers = Buffer.concat([gzipSync(whole.subarray(0, 50)), gzipSync(whole.subarray(50))]);
    expect((await readAll(twoMembers)).map((e) => e.type)).toEqual([
      'prelude',
      'document',
      'document',
      'end',
    ]);
  });
});
