import { createServer, Socket, type Server } from 'node:net';
import { BSON } from 'bson';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProgressEvent } from '../../../src/core/progress.js';
import { captureDatabase } from '../../../src/mongodb/capture.js';
import { testServers, uniqueDbName } from '../../helpers/servers.js';

const servers = testServers();

/**
 * A loopback TCP proxy in front of the source server that cuts every connection once, after
 * `cutAfterBytes` bytes have come back from the server: a real network failure in the middle of a
 * cursor, as a failover or a flaky link gives.
 */
function flakyProxy(
  target: { host: string; port: number },
  cutAfterBytes: number,
): Promise<{ server: Server; port: number; cuts: () => number }> {
  let cut = false;
  let cuts = 0;
  const server = createServer((client) => {
    const upstream = new Socket();
    let fromServer = 0;
    upstream.connect(target.port, target.host);
    client.on('data', (b) => upstream.write(b));
    upstream.on('data', (b) => {
      fromServer += b.length;
      if (!cut && fromServer > cutAfterBytes) {
        cut = true;
        cuts++;
        client.destroy();
        upstream.destroy();
        return;
      }
      client.write(b);
    });
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      resolve({ server, port: typeof address === 'object' && address ? address.port : 0, cuts: () => cuts });
    }),
  );
}

describe('capture retries a transient failure and resumes after the last _id', () => {
  const db = uniqueDbName('retry');
  const direct = new MongoClient(servers.sourceUri);
  const docs = 5000;

  beforeAll(async () => {
    // mixed _id types, so the resume must cross type brackets too
    await direct
      .db(db)
      .collection('c')
      .insertMany(
        Array.from({ length: docs }, (_, i) => ({
          _id: (i % 2 === 0 ? i : `s${String(i).padStart(5, '0')}`) as never,
          i,
          pad: 'x'.repeat(100),
        })),
      );
  });
  afterAll(async () => {
    await direct.db(db).dropDatabase();
    await direct.close();
  });

  it('a connection cut in the middle of a collection: every document exactly once, in _id order', async () => {
    const url = new URL(servers.sourceUri);
    const proxy = await flakyProxy({ host: url.hostname, port: Number(url.port) }, 200_000);
    const client = new MongoClient(`mongodb://127.0.0.1:${proxy.port}/?directConnection=true`, {
      serverSelectionTimeoutMS: 5000,
    });
    const events: ProgressEvent[] = [];
    try {
      await client.connect();
      const capture = await captureDatabase(client, {
        db,
        batchSize: 200,
        onProgress: (e) => events.push(e),
      });
      const ids: unknown[] = [];
      for await (const event of capture.events) {
        if (event.type === 'document') ids.push(BSON.deserialize(event.bson)._id);
      }
      expect(proxy.cuts()).toBe(1);
      expect(events.some((e) => e.type === 'retry')).toBe(true);
      expect(ids).toHaveLength(docs);
      const numbers = ids.filter((id) => typeof id === 'number') as number[];
      const strings = ids.filter((id) => typeof id === 'string') as string[];
      expect(new Set(ids).size).toBe(docs);
      // numbers sort before strings, each ascending: the order of an uninterrupted scan
      expect(ids).toEqual([...numbers.sort((a, b) => a - b), ...strings.sort()]);
    } finally {
      await client.close();
      proxy.server.close();
    }
  });
});
