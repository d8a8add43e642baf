import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Crc64 } from '../../../src/archive/crc64.js';
import { DocumentTally } from '../../../src/archive/document-tally.js';

describe('DocumentTally', () => {
  it('counts documents and bytes and checksums their concatenation', () => {
    const docs = [Buffer.from('first document'), Buffer.from('second')];
    const tally = new DocumentTally();
    for (const d of docs) tally.add(d);
    const all = Buffer.concat(docs);
    expect(tally.documents).toBe(2);
    expect(tally.bytes).toBe(all.length);
    expect(tally.digest()).toEqual({
      crc64: new Crc64().update(all).digestHex(),
      sha256: createHash('sha256').update(all).digest('hex'),
    });
    expect(tally.digest()).toBe(tally.digest());
  });

  it('gives the checksums of nothing when empty', () => {
    expect(new DocumentTally().digest()).toEqual({
      crc64: '0000000000000000',
      sha256: createHash('sha256').digest('hex'),
    });
  });
});
