/**
 * Benchmark: the archive codec's hot paths on one core, no I/O.
 * - CRC-64/XZ throughput (MB/s, 1 MB = 10^6 bytes) over 256 MiB in 64 KiB chunks;
 * - writeArchive → readArchive (CRC verified) over 200k generated ~300-byte documents, in memory.
 *
 * Run: `npx tsx bench/archive-codec.ts`
 */
import { PassThrough, Readable } from 'node:stream';
import { BSON, ObjectId } from 'bson';
import { Crc64, readArchive, writeArchive } from '../src/archive/index.js';
import type { DumpEvent } from '../src/core/dump-event.js';

const MB = 1e6;

function crcThroughput(): number {
  const chunk = new Uint8Array(64 * 1024).map((_, i) => (i * 31 + 7) & 0xff);
  const total = 256 * 1024 * 1024;
  const crc = new Crc64();
  for (let i = 0; i < 64; i++) crc.update(chunk); // warm-up
  const start = process.hrtime.bigint();
  for (let done = 0; done < total; done += chunk.length) crc.update(chunk);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return total / MB / seconds;
}

async function codecThroughput(): Promise<{ writeMBs: number; readMBs: number; bytes: number }> {
  const docs: Uint8Array[] = [];
  for (let i = 0; i < 200_000; i++)
    docs.push(
      BSON.serialize({
        _id: new ObjectId(),
        i,
        name: `user ${i}`,
        email: `u${i}@example.com`,
        tags: ['a', 'b', 'c'],
        nested: { x: i * 1.5, y: 'lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod' },
      }),
    );
  const ns = { db: 'bench', collection: 'docs' };
  async function* events(): AsyncGenerator<DumpEvent> {
    yield {
      type: 'prelude',
      serverVersion: '7.0.42',
      toolVersion: 'bench',
      concurrentCollections: 1,
      collections: [{ namespace: ns, collectionType: 'collection', metadataJson: '' }],
    };
    for (const bson of docs) yield { type: 'document', namespace: ns, bson };
    yield { type: 'end', namespace: ns };
  }
  const sink = new PassThrough();
  const parts: Buffer[] = [];
  sink.on('data', (b: Buffer) => parts.push(b));
  let start = process.hrtime.bigint();
  const written = await writeArchive(events(), sink);
  const writeSeconds = Number(process.hrtime.bigint() - start) / 1e9;
  const archive = Buffer.concat(parts);
  start = process.hrtime.bigint();
  let count = 0;
  for await (const event of readArchive(Readable.from(chunks(archive, 64 * 1024))))
    if (event.type === 'document') count++;
  const readSeconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (count !== docs.length) throw new Error(`read ${count} documents, wrote ${docs.length}`);
  return {
    writeMBs: written.archiveBytes / MB / writeSeconds,
    readMBs: archive.length / MB / readSeconds,
    bytes: archive.length,
  };
}

function* chunks(buffer: Buffer, size: number): Generator<Buffer> {
  for (let i = 0; i < buffer.length; i += size) yield buffer.subarray(i, i + size);
}

const crcMBs = crcThroughput();
const codec = await codecThroughput();
console.log(
  JSON.stringify({
    node: process.version,
    crc64MBs: Math.round(crcMBs),
    archiveBytes: codec.bytes,
    writeArchiveMBs: Math.round(codec.writeMBs),
    readArchiveMBs: Math.round(codec.readMBs),
  }),
);
