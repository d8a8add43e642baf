import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { MongoClient } from 'mongodb';
import { expect } from 'vitest';
import { rawById } from '../../helpers/raw-documents.js';
import { runCli } from '../../helpers/run-cli.js';
import type { TestServers } from '../../helpers/servers.js';

/** A fresh identity file from `dbfork keygen -o` and the recipient it printed. */
export async function keygen(file: string): Promise<{ file: string; recipient: string }> {
  const res = await runCli(['keygen', '-o', file]);
  expect(res.code, res.stderr).toBe(0);
  const recipient = /Public key: (age1[0-9a-z]+)/.exec(res.stderr)?.[1];
  expect(recipient).toBeDefined();
  return { file, recipient: recipient! };
}

/** Stored bytes of one snapshot store, whichever backend holds them. */
export interface StoredObjects {
  /** Every object under the store (key → bytes). */
  all(): Promise<Map<string, Buffer>>;
  /** Replace one object's bytes (to tamper with it). */
  put(key: string, body: Buffer): Promise<void>;
}

export function fileObjects(root: string): StoredObjects {
  return {
    async all() {
      const out = new Map<string, Buffer>();
      for (const rel of await walk(root, '')) out.set(rel, await readFile(join(root, rel)));
      return out;
    },
    async put(key, body) {
      const { writeFile } = await import('node:fs/promises');
      await writeFile(join(root, key), body);
    },
  };
}

async function walk(root: string, rel: string): Promise<string[]> {
  const out: string[] = [];
  for (const name of await readdir(join(root, rel))) {
    const path = rel ? `${rel}/${name}` : name;
    if ((await stat(join(root, path))).isDirectory()) out.push(...(await walk(root, path)));
    else out.push(path);
  }
  return out;
}

export function s3Client(servers: TestServers): S3Client {
  return new S3Client({
    endpoint: servers.awsEndpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
  });
}

export function s3Objects(s3: S3Client, bucket: string, prefix: string): StoredObjects {
  return {
    async all() {
      const out = new Map<string, Buffer>();
      let token: string | undefined;
      do {
        const page = await s3.send(
          new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }),
        );
        for (const o of page.Contents ?? []) {
          const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: o.Key! }));
          out.set(o.Key!.slice(prefix.length), Buffer.from(await got.Body!.transformToByteArray()));
        }
        token = page.NextContinuationToken;
      } while (token);
      return out;
    },
    async put(key, body) {
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: prefix + key, Body: body }));
    },
  };
}

/** Recognisable plaintext values from the source: emails and names of real sample documents. */
export async function knownValues(client: MongoClient, db: string): Promise<string[]> {
  const values: string[] = [];
  for (const coll of ['customers', 'users']) {
    const docs = await client.db(db).collection(coll).find({}).sort({ _id: 1 }).limit(4).toArray();
    for (const d of docs) values.push(String(d.email), String(d.name));
  }
  return values;
}

/** The stored objects (key) that contain any of the values, with the values found. */
export function plaintextHits(objects: Map<string, Buffer>, values: readonly string[]): string[] {
  const hits: string[] = [];
  for (const [key, bytes] of objects)
    for (const v of values) if (bytes.includes(Buffer.from(v, 'utf8'))) hits.push(`${key}: ${v}`);
  return hits;
}

/** Flip one bit at `offset` bytes before the end. */
export function flipped(bytes: Buffer, fromEnd: number): Buffer {
  const copy = Buffer.from(bytes);
  const at = copy.length - fromEnd;
  copy[at] = (copy[at] ?? 0) ^ 0x01;
  return copy;
}

/** Every collection of a db with the raw bytes of its documents, for before/after comparisons. */
export async function dbBytes(client: MongoClient, db: string): Promise<Map<string, Map<string, Buffer>>> {
  const names = (await client.db(db).listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name);
  const out = new Map<string, Map<string, Buffer>>();
  for (const name of names.sort()) out.set(name, await rawById(client, db, name));
  return out;
}

/** Assert two db snapshots (from {@link dbBytes}) are equal: same collections, same documents, same bytes. */
export function expectSameBytes(
  got: Map<string, Map<string, Buffer>>,
  want: Map<string, Map<string, Buffer>>,
): void {
  expect([...got.keys()]).toEqual([...want.keys()]);
  for (const [coll, docs] of want) {
    const other = got.get(coll)!;
    expect(other.size, coll).toBe(docs.size);
    for (const [id, bytes] of docs) expect(other.get(id)?.equals(bytes), `${coll} ${id}`).toBe(true);
  }
}
