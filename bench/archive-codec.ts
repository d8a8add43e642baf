/**
 * Benchmark: the archive codec's hot paths on one core, no I/O.
 * - CRC-64/XZ throughput (MB/s, 1 MB = 10^6 bytes) over 256 MiB in 64 KiB chunks;
 * - writeArchive → readArchive (CRC verified) over 200k generated ~300-byte documents, in memory, with
 *   the structural BSON check (objcheck, the default) and without it (`--no-objcheck`);
 * - the structural check alone (`checkBsonStructure`) next to a full `BSON.deserialize` of the same documents.
 *
 * Writes bench/results/archive-codec.json.
 *
 * Run: `npx tsx bench/archive-codec.ts`
 */
import { PassThrough, Readable } from 'node:stream';
import { BSON, ObjectId } from 'bson';
import { writeFileSync } from 'node:fs';
import { checkBsonStructure } from '../src/archive/bson-structure.js';
import { Crc64, readArchive, writeArchive } from '../src/archive/index.js';
import { resultsFile } from './lib/figures.js';
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

interface CodecFigures {
  writeMBs: number;
  readMBs: number;
  readNoObjcheckMBs: number;
  objcheckMBs: number;
  deserializeMBs: number;
  bytes: number;
}

async function codecThroughput(): Promise<CodecFigures> {
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
  const start = process.hrtime.bigint();
  const written = await writeArchive(events(), sink);
  const writeSeconds = Number(process.hrtime.bigint() - start) / 1e9;
  const archive = Buffer.concat(parts);
  const read = async (objcheck: boolean): Promise<number> => {
    const begin = process.hrtime.bigint();
    let count = 0;
    for await (const event of readArchive(Readable.from(chunks(archive, 64 * 1024)), { objcheck }))
      if (event.type === 'document') count++;
    if (count !== docs.length) throw new Error(`read ${count} documents, wrote ${docs.length}`);
    return archive.length / MB / (Number(process.hrtime.bigint() - begin) / 1e9);
  };
  await read(true); // warm-up
  const readMBs = await read(true);
  const readNoObjcheckMBs = await read(false);
  const docBytes = docs.reduce((n, d) => n + d.length, 0);
  const timed = (work: (doc: Uint8Array) => unknown): number => {
    for (const doc of docs.slice(0, 20_000)) work(doc); // warm-up
    const begin = process.hrtime.bigint();
    for (const doc of docs) work(doc);
    return docBytes / MB / (Number(process.hrtime.bigint() - begin) / 1e9);
  };
  const objcheckMBs = timed((doc) => {
    if (checkBsonStructure(doc)) throw new Error('a generated document is malformed');
  });
  const deserializeMBs = timed((doc) => BSON.deserialize(doc));
  return {
    writeMBs: written.archiveBytes / MB / writeSeconds,
    readMBs,
    readNoObjcheckMBs,
    objcheckMBs,
    deserializeMBs,
    bytes: archive.length,
  };
}

function* chunks(buffer: Buffer, size: number): Generator<Buffer> {
  for (let i = 0; i < buffer.length; i += size) yield buffer.subarray(i, i + size);
}

const crcMBs = crcThroughput();
const codec = await codecThroughput();
const figures = {
  node: process.version,
  crc64MBs: Math.round(crcMBs),
  archiveBytes: codec.bytes,
  writeArchiveMBs: Math.round(codec.writeMBs),
  readArchiveMBs: Math.round(codec.readMBs),
  readArchiveNoObjcheckMBs: Math.round(codec.readNoObjcheckMBs),
  objcheckMBs: Math.round(codec.objcheckMBs),
  deserializeMBs: Math.round(codec.deserializeMBs),
};
console.log(JSON.stringify(figures));
writeFileSync(resultsFile('archive-codec'), `${JSON.stringify(figures, null, 2)}\n`);
