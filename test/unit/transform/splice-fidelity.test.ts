import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { deserialize } from 'bson';
import { describe, expect, it } from 'vitest';
import { checkBsonStructure } from '../../../src/archive/bson-structure.js';
import { MAX_BSON_SIZE } from '../../../src/archive/index.js';
import { archiveBytes, readAll } from '../archive/archive-test-kit.js';
import { parseRules } from '../../../src/config/load-rules.js';
import type { DumpEvent } from '../../../src/core/dump-event.js';
import { isDbforkError } from '../../../src/errors/index.js';
import { keyedHasher } from '../../../src/transform/hasher.js';
import { streamAnonymizer } from '../../../src/transform/stream-anonymizer.js';
import { documentOf, element, malformedCorpus, typeZoo } from '../../helpers/bson-zoo.js';
import { recordScenario } from '../../helpers/reliability-record.js';
import { ATLAS_DUMP } from '../../helpers/servers.js';
import { collect, TEST_KEY } from './dump-events.js';

const namespace = { db: 'd', collection: 'zoo' };

function dumpPrelude(): DumpEvent {
  return {
    type: 'prelude',
    serverVersion: '',
    toolVersion: '',
    concurrentCollections: 1,
    collections: [{ namespace, collectionType: 'collection', metadataJson: '' }],
  };
}

async function* dumpOfRaw(docs: readonly Uint8Array[]): AsyncGenerator<DumpEvent> {
  yield dumpPrelude();
  for (const bson of docs) yield { type: 'document', namespace, bson };
  yield { type: 'end', namespace };
}

const anonymize = async (fields: string, docs: readonly Uint8Array[]): Promise<Uint8Array[]> => {
  const rules = parseRules(`rules:\n  zoo:\n    fields:\n${fields}`, 'r.yaml');
  const out = await collect(
    streamAnonymizer(rules, keyedHasher(Buffer.from(TEST_KEY))).apply(dumpOfRaw(docs)),
  );
  return out.flatMap((e) => (e.type === 'document' ? [e.bson] : []));
};

/** The top-level elements of a document as name → exact bytes. */
function elements(doc: Uint8Array): Map<string, string> {
  const out = new Map<string, string>();
  const b = Buffer.from(doc);
  let i = 4;
  while (i < b.length - 1) {
    const keyEnd = b.indexOf(0, i + 1);
    const key = b.toString('utf8', i + 1, keyEnd);
    const next = elementEnd(b, i);
    out.set(key, b.subarray(i, next).toString('hex'));
    i = next;
  }
  return out;
}

/** The end of the element at `i`, found by growing a one-element document until it is well-formed. */
function elementEnd(b: Buffer, i: number): number {
  for (let end = b.indexOf(0, i + 1) + 1; end <= b.length - 1; end++)
    if (checkBsonStructure(documentOf(b.subarray(i, end))) === null) return end;
  throw new Error('no element end');
}

describe('document fidelity through the rewriter (splicing writer)', () => {
  it('a rule on an absent field leaves every type, deprecated ones included, byte-identical', async () => {
    const zoo = [typeZoo(1), typeZoo(2)];
    expect(zoo.every((d) => checkBsonStructure(d) === null)).toBe(true);
    const out = await anonymize('      absent: { transform: hash }\n', zoo);
    expect(out.map((d) => Buffer.from(d).toString('hex'))).toEqual(zoo.map((d) => d.toString('hex')));
    recordScenario({
      group: 'fidelity',
      scenario: 'type zoo, rule on an absent field (in-process)',
      runs: 2,
      survived: 2,
      nothingLost: true,
      detail: 'byte-identical: 2/2',
    });
  });

  it('a rule that changes one field keeps every other field at its exact bytes', async () => {
    const [zoo] = [typeZoo(3)];
    const [out] = await anonymize('      email: { transform: hash_email }\n', [zoo]);
    const before = elements(zoo);
    const after = elements(out!);
    expect([...after.keys()]).toEqual([...before.keys()]);
    for (const [key, bytes] of before) if (key !== 'email') expect(after.get(key), key).toBe(bytes);
    expect(after.get('email')).not.toBe(before.get('email'));
    expect(deserialize(out!).email).toMatch(/@/);
    recordScenario({
      group: 'fidelity',
      scenario: 'type zoo, one field rewritten, the others spliced',
      runs: 28,
      survived: 28,
      nothingLost: true,
      detail: 'untouched fields byte-identical',
    });
  });

  it('rewrites inside nested documents and arrays without re-encoding their neighbours', async () => {
    const doc = documentOf(
      element(0x10, '_id', Buffer.from('01000000', 'hex')),
      element(
        0x04,
        'contacts',
        documentOf(
          element(
            0x03,
            '0',
            documentOf(
              element(0x02, 'email', Buffer.from('0c0000006140622e6578616d706c6500', 'hex')),
              element(0x06, 'old', Buffer.alloc(0)),
            ),
          ),
          element(0x0e, '1', Buffer.from('0200000078' + '00', 'hex')),
        ),
      ),
      element(0x06, 'legacy', Buffer.alloc(0)),
    );
    expect(checkBsonStructure(doc)).toBeNull();
    const [out] = await anonymize('      contacts.email: { transform: hash_email }\n', [doc]);
    const hex = Buffer.from(out!).toString('hex');
    expect(hex).toContain('066f6c6400'); // the Undefined next to the email is still there
    expect(hex).toContain('0e3100020000007800'); // the Symbol array element too
    expect(hex.endsWith('066c65676163790000')).toBe(true);
    expect(checkBsonStructure(out!)).toBeNull();
  });

  it('removing a field with unset splices it out; the deprecated neighbours stay', async () => {
    const [out] = await anonymize('      email: { transform: unset }\n', [typeZoo(4)]);
    const after = elements(out!);
    expect(after.has('email')).toBe(false);
    expect(after.get('dbPointer')).toBe(elements(typeZoo(4)).get('dbPointer'));
    expect(after.get('undefined')).toBe('06756e646566696e656400');
  });

  it('fails closed with the field path when a rule would compute a value from a DBPointer or Undefined', async () => {
    // hash would digest the decoder's {$ref, $id} stand-in for the DBPointer and write another type
    const error = await anonymize('      dbPointer: { transform: hash }\n', [typeZoo(5)]).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isDbforkError(error) && error.code).toBe('TRANSFORM_TYPE_MISMATCH');
    expect(isDbforkError(error) && error.subject).toMatchObject({
      namespace: 'd.zoo',
      fieldPath: 'dbPointer',
      document: 1,
    });
    // constant and null replace the value whatever it was: allowed on the deprecated types
    const [constant] = await anonymize('      undefined: { transform: constant, value: 1 }\n', [typeZoo(5)]);
    expect(deserialize(constant!).undefined).toBe(1);
    const [out] = await anonymize('      dbPointer: { transform: "null" }\n', [typeZoo(5)]);
    expect(elements(out!).get('dbPointer')).toBe('0a6462506f696e74657200');
  });

  it('every well-formed Atlas document passes the structural check; every malformed one fails it and the rewriter', async () => {
    for (const file of [
      'sample_mflix/users.bson',
      'sample_analytics/customers.bson',
      'sample_mflix/theaters.bson',
    ]) {
      const bytes = readFileSync(join(ATLAS_DUMP, file));
      for (let i = 0; i < bytes.length; i += bytes.readInt32LE(i))
        expect(checkBsonStructure(bytes.subarray(i, i + bytes.readInt32LE(i)))).toBeNull();
    }
    const corpus = malformedCorpus();
    expect(corpus.length).toBeGreaterThanOrEqual(50);
    let rejected = 0;
    for (const { kind, bytes } of corpus) {
      expect(checkBsonStructure(bytes), kind).not.toBeNull();
      const error = await anonymize('      email: { transform: hash_email }\n', [bytes]).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(isDbforkError(error) && error.code, kind).toBe('ARCHIVE_BAD_DOCUMENT');
      expect(isDbforkError(error) && error.subject, kind).toMatchObject({ namespace: 'd.zoo', document: 1 });
      rejected++;
    }
    recordScenario({
      group: 'fidelity',
      scenario: 'malformed documents in a rule namespace (rewriter, in-process)',
      runs: corpus.length,
      survived: rejected,
      nothingLost: true,
      detail: `ARCHIVE_BAD_DOCUMENT: ${rejected}, INTERNAL: 0`,
    });
  });

  it('a document of exactly 16 MiB passes the check and a rule; one byte over is refused by the reader', async () => {
    const filler = MAX_BSON_SIZE - 4 - 9 - (1 + 2 + 4 + 1) - 1;
    const big = documentOf(
      element(0x10, '_id', Buffer.from('07000000', 'hex')),
      element(
        0x05,
        'b',
        Buffer.concat([
          Buffer.from(new Int32Array([filler]).buffer),
          Buffer.of(0),
          Buffer.alloc(filler, 0xab),
        ]),
      ),
    );
    expect(big.length).toBe(MAX_BSON_SIZE);
    expect(checkBsonStructure(big)).toBeNull();
    const [out] = await anonymize('      absent: { transform: hash }\n', [big]);
    expect(Buffer.compare(Buffer.from(out!), big)).toBe(0);
    const over = Buffer.alloc(MAX_BSON_SIZE + 1);
    over.writeInt32LE(over.length, 0);
    // refused on both sides: the archive writer will not frame it, the reader will not read it
    const written = await archiveBytes([
      dumpPrelude(),
      { type: 'document', namespace, bson: over },
      { type: 'end', namespace },
    ]).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isDbforkError(written) && written.category).toBe('archive');
    const small = (
      await archiveBytes([
        dumpPrelude(),
        { type: 'document', namespace, bson: typeZoo(9) },
        { type: 'end', namespace },
      ])
    ).bytes;
    const at = Buffer.from(small).indexOf(typeZoo(9));
    const grown = Buffer.from(small);
    grown.writeInt32LE(MAX_BSON_SIZE + 1, at);
    const error = await readAll(grown).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isDbforkError(error) && error.code).toBe('ARCHIVE_BAD_LENGTH');
    recordScenario({
      group: 'fidelity',
      scenario: '16 MiB limit (exact limit through a rule, one byte over)',
      runs: 2,
      survived: 2,
      nothingLost: true,
      detail: 'exact: byte-identical; +1 byte: ARCHIVE_BAD_LENGTH',
    });
  });
});
