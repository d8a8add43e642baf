import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Double, Int32 } from 'bson';
import { describe, expect, it } from 'vitest';
import {
  buildCollectionMetadata,
  parseCollectionMetadata,
} from '../../../src/archive/collection-metadata.js';
import { isDbforkError } from '../../../src/errors/index.js';
import { ATLAS_DUMP } from '../../helpers/servers.js';

/** A metadata.json as mongodump 100.x writes it (from the mongo-tools 100.3.1 timeseries fixture). */
const MODERN =
  '{"indexes":[{"v":{"$numberInt":"2"},"key":{"_id":{"$numberInt":"1"}},"name":"_id_"}],"uuid":"2166e09af3a34889b443b226a582299c","collectionName":"system.version","type":"collection"}';

describe('collection metadata', () => {
  it('parses mongodump canonical metadata and builds back the exact same text', () => {
    const meta = parseCollectionMetadata(MODERN);
    expect(meta).toEqual({
      options: {},
      indexes: [{ v: new Int32(2), key: { _id: new Int32(1) }, name: '_id_' }],
      uuid: '2166e09af3a34889b443b226a582299c',
      collectionName: 'system.version',
      collectionType: 'collection',
    });
    expect(buildCollectionMetadata(meta)).toBe(MODERN);
  });

  it('writes keys in mongodump order and omits empty options, absent uuid and empty type', () => {
    const text = buildCollectionMetadata({
      collectionType: 'collection',
      collectionName: 'c',
      uuid: '00112233445566778899aabbccddeeff',
      indexes: [{ v: new Int32(2), key: { a: new Double(-1) }, name: 'a_-1', unique: true }],
      options: { capped: true, size: new Int32(4096) },
    });
    expect(text).toBe(
      '{"options":{"capped":true,"size":{"$numberInt":"4096"}},"indexes":[{"v":{"$numberInt":"2"},"key":{"a":{"$numberDouble":"-1.0"}},"name":"a_-1","unique":true}],"uuid":"00112233445566778899aabbccddeeff","collectionName":"c","type":"collection"}',
    );
    expect(buildCollectionMetadata({ options: {}, indexes: [], collectionName: 'v' })).toBe(
      '{"indexes":[],"collectionName":"v"}',
    );
  });

  it('reads the legacy metadata files of the Atlas sample dump (no collectionName, bare numbers)', () => {
    let files = 0;
    for (const db of readdirSync(ATLAS_DUMP)) {
      for (const name of readdirSync(join(ATLAS_DUMP, db)).filter((n) => n.endsWith('.metadata.json'))) {
        const meta = parseCollectionMetadata(readFileSync(join(ATLAS_DUMP, db, name), 'utf8'));
        expect(meta.indexes.map((i) => i.name)).toContain('_id_');
        expect(meta.uuid).toMatch(/^[0-9a-f]{32}$/);
        expect(meta.collectionName).toBeUndefined();
        files++;
      }
    }
    expect(files).toBe(5);
    const theaters = parseCollectionMetadata(
      readFileSync(join(ATLAS_DUMP, 'sample_mflix', 'theaters.metadata.json'), 'utf8'),
    );
    expect(theaters.indexes[1]).toMatchObject({ name: 'geo index', key: { 'location.geo': '2dsphere' } });
  });

  it('rejects text that is not an Extended JSON object, or fields of the wrong type, with ARCHIVE_BAD_METADATA', () => {
    for (const text of [
      '{"{"a":"b"}":1}',
      '[]',
      '"x"',
      '{"indexes":{}}',
      '{"options":[]}',
      '{"uuid":1}',
      '{"type":2}',
    ]) {
      let error: unknown;
      try {
        parseCollectionMetadata(text, { namespace: 'd.c' });
      } catch (e) {
        error = e;
      }
      expect(isDbforkError(error) && error.code === 'ARCHIVE_BAD_METADATA', text).toBe(true);
    }
  });
});
