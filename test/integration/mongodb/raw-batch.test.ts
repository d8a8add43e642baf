import { Binary, Double, Int32, Long, MongoClient, ObjectId, Timestamp } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readsRepliesDirectly, takeRawBatch } from '../../../src/mongodb/raw-batch.js';
import { testServers, uniqueDbName } from '../../helpers/servers.js';

const servers = testServers();

describe('takeRawBatch against a real server', () => {
  const db = uniqueDbName('rawbatch');
  const client = new MongoClient(servers.sourceUri);

  beforeAll(async () => {
    const docs = Array.from({ length: 250 }, (_, i) => ({
      _id: i,
      oid: new ObjectId(),
      int: new Int32(i),
      long: Long.fromNumber(i * 1e9),
      double: new Double(i / 3),
      ts: new Timestamp({ t: i, i: 1 }),
      bin: new Binary(Buffer.alloc(i % 17, i)),
      nested: { a: [i, `s${i}`, { b: null }], when: new Date(1_700_000_000_000 + i) },
      text: 'é'.repeat(i % 40),
    }));
    await client
      .db(db)
      .collection('zoo')
      .insertMany(docs as never[]);
  });
  afterAll(async () => {
    await client.db(db).dropDatabase();
    await client.close();
  });

  it("reads the driver's buffered replies directly, with the bytes the driver's own path gives", async () => {
    const find = () =>
      client
        .db(db)
        .collection('zoo')
        .find({}, { raw: true, sort: { _id: 1 }, batchSize: 64 });
    const expected: Buffer[] = [];
    for await (const raw of find()) expected.push(Buffer.from(raw as unknown as Uint8Array));

    const cursor = find();
    const runs: Buffer[] = [];
    let direct = true;
    let count = 0;
    let last: Buffer | undefined;
    while (await cursor.hasNext()) {
      direct &&= readsRepliesDirectly(cursor);
      const batch = takeRawBatch(cursor);
      if (!batch) continue;
      runs.push(batch.bson);
      count += batch.count;
      last = Buffer.from(batch.last);
    }
    await cursor.close();
    expect(direct).toBe(true);
    expect(runs.length).toBeGreaterThan(1);
    expect(count).toBe(250);
    expect(Buffer.concat(runs).equals(Buffer.concat(expected))).toBe(true);
    expect(last?.equals(expected[expected.length - 1] as Buffer)).toBe(true);
  });
});
