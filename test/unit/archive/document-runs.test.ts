import { PassThrough } from 'node:stream';
import { BSON } from 'bson';
import { describe, expect, it } from 'vitest';
import { writeArchive } from '../../../src/archive/index.js';
import {
  perDocument,
  runDocuments,
  type DumpDocumentRun,
  type DumpRunEvent,
} from '../../../src/core/dump-event.js';
import { archiveBytes, doc, end, entry, fromArray, prelude, rejection } from './archive-test-kit.js';

const ns = { db: 'shop', collection: 'orders' };
const other = { db: 'shop', collection: 'users' };
const docs = Array.from({ length: 25 }, (_, i) =>
  BSON.serialize({ _id: i, name: `n${i}`, pad: 'x'.repeat(i) }),
);

function run(namespace: typeof ns, items: Uint8Array[]): DumpDocumentRun {
  return { type: 'documents', namespace, bson: Buffer.concat(items), count: items.length };
}

async function runArchive(events: DumpRunEvent[]): Promise<{ bytes: Buffer; result: unknown }> {
  const out = new PassThrough();
  const parts: Buffer[] = [];
  out.on('data', (b: Buffer) => parts.push(b));
  const result = await writeArchive(fromArray(events), out);
  return { bytes: Buffer.concat(parts), result };
}

describe('runs of documents', () => {
  it('write the same archive bytes and tallies as their documents one by one', async () => {
    const entries = [entry('shop', 'orders'), entry('shop', 'users')];
    const single = await archiveBytes([
      prelude(entries, 2),
      ...docs.slice(0, 10).map((d) => doc(ns, d)),
      ...docs.slice(10, 12).map((d) => doc(other, d)),
      ...docs.slice(12).map((d) => doc(ns, d)),
      end(ns),
      end(other),
    ]);
    const runs = await runArchive([
      prelude(entries, 2),
      run(ns, docs.slice(0, 4)),
      run(ns, docs.slice(4, 10)),
      run(other, docs.slice(10, 12)),
      run(ns, docs.slice(12)),
      end(ns),
      end(other),
    ]);
    expect(runs.bytes.equals(single.bytes)).toBe(true);
    expect(runs.result).toEqual(single.result);
  });

  it('expand to their documents, as views, in order', async () => {
    const r = run(ns, docs.slice(0, 5));
    const views = [...runDocuments(r)].map((e) => Buffer.from(e.bson));
    expect(views).toEqual(docs.slice(0, 5).map((d) => Buffer.from(d)));
    const events = [];
    for await (const e of perDocument(
      fromArray<DumpRunEvent>([prelude([entry('shop', 'orders')]), r, end(ns)]),
    ))
      events.push(e.type);
    expect(events).toEqual(['prelude', 'document', 'document', 'document', 'document', 'document', 'end']);
  });

  it('are refused when their framing does not add up', async () => {
    const good = Buffer.concat(docs.slice(0, 3));
    const cases: DumpDocumentRun[] = [
      { type: 'documents', namespace: ns, bson: good, count: 2 }, // bytes left over
      { type: 'documents', namespace: ns, bson: good, count: 4 }, // a document missing
      { type: 'documents', namespace: ns, bson: good.subarray(0, good.length - 1), count: 3 }, // cut short
      { type: 'documents', namespace: ns, bson: new Uint8Array(0), count: 0 }, // empty
    ];
    for (const bad of cases) {
      const error = await rejection(runArchive([prelude([entry('shop', 'orders')]), bad, end(ns)]));
      expect(['ARCHIVE_BAD_LENGTH', 'ARCHIVE_BAD_DOCUMENT']).toContain(error.code);
    }
  });
});
