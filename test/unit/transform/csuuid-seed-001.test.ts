import { readFileSync } from 'node:fs';
import { Binary, deserialize, type Document } from 'bson';
import { describe, expect, it } from 'vitest';
import { parseRules } from '../../../src/config/load-rules.js';
import { keyedHasher } from '../../../src/transform/hasher.js';
import { streamAnonymizer } from '../../../src/transform/stream-anonymizer.js';
import { csharpLegacyToRfc, rfcToCsharpLegacy } from '../../../src/transform/uuid-bytes.js';
import { collect, dumpOf, TEST_KEY, anonymize, docsOf } from './dump-events.js';

/** A C# `Guid` as the legacy C# driver stores it: binData subtype 3, first three fields little-endian. */
function csuuid(i: number): Binary {
  const rfc = Buffer.alloc(16);
  rfc.writeUInt32BE(0x3f2504e0 + i, 0);
  rfc.writeUInt16BE(0x4f89, 4);
  rfc.writeUInt16BE(0x41d3, 6); // version 4
  rfc.writeUInt16BE(0x9a0c, 8);
  rfc.writeUIntBE(0x0305e82c3301 + i, 10, 6);
  return new Binary(rfcToCsharpLegacy(rfc), 3);
}

function investigators(n: number): Document[] {
  return Array.from({ length: n }, (_, i) => ({
    _id: csuuid(i),
    Email: `investigator${i}@university${i % 5}.ac.uk`,
    FirstName: `First${i}`,
    LastName: `Last${i}`,
    Auth0Id: `auth0|${(1e15 + i).toString(16)}`,
    Institution: 'University of Edinburgh',
  }));
}

describe('seed 001 rules on a pmInvestigator collection with CSUUID _ids', () => {
  it('parse verbatim and transform every listed field, leaving the rest and the CSUUID _id byte-identical', async () => {
    const rules = parseRules(
      readFileSync('examples/seed-001.rules.yaml', 'utf8'),
      'examples/seed-001.rules.yaml',
    );
    const input = investigators(20);
    const events = await collect(
      streamAnonymizer(rules, keyedHasher(Buffer.from(TEST_KEY))).apply(
        dumpOf([
          { ns: 'syrftest.pmInvestigator', docs: input },
          { ns: 'syrftest.pmAuditLog', docs: [{ _id: 1, who: 'x' }] },
          {
            ns: 'syrftest.pmProject',
            docs: Array.from({ length: 150 }, (_, i) => ({ _id: i, ContactEmail: `c${i}@x.org` })),
          },
        ]),
      ),
    );
    const prelude = events[0]!;
    expect(prelude.type === 'prelude' && prelude.collections.map((c) => c.namespace.collection)).toEqual([
      'pmInvestigator',
      'pmProject',
    ]);
    const out = events
      .filter((e) => e.type === 'document' && e.namespace.collection === 'pmInvestigator')
      .map((e) => deserialize((e as { bson: Uint8Array }).bson, { promoteBuffers: false }));
    expect(out).toHaveLength(20);
    out.forEach((doc, i) => {
      expect((doc._id as Binary).sub_type).toBe(3);
      expect(Buffer.from((doc._id as Binary).buffer).equals(Buffer.from(input[i]!._id.buffer))).toBe(true);
      expect(doc.Email).toMatch(/^[0-9a-f]{12}\.[0-9a-f]{4}@anonymized\.dbfork\.local$/);
      expect(doc.FirstName).toBe(`User${i + 1}`);
      expect(doc.LastName).toBe(String(i + 1));
      expect(doc.Auth0Id).toMatch(/^[0-9a-f]{16}$/);
      expect(doc.Institution).toBe('University of Edinburgh');
    });
    // size_limits.pmProject.max_documents: 100, the first 100 by _id
    expect(docsOf(events, 'syrftest.pmProject').map((d) => d._id)).toEqual(
      Array.from({ length: 100 }, (_, i) => i),
    );
  });

  it('pseudonymous_id keeps CSUUID subtype 3 in C# byte order (a v4 Guid to the app) and references still join', async () => {
    const input = investigators(30);
    const projects = input.map((inv, i) => ({
      _id: i,
      Investigators: [{ InvestigatorId: inv._id, Role: 'lead' }],
    }));
    const events = await anonymize(
      `rules:
  pmInvestigator:
    fields:
      _id: { transform: pseudonymous_id, group: investigator }
  pmProject:
    fields:
      Investigators.InvestigatorId: { transform: pseudonymous_id, group: investigator }
`,
      [
        { ns: 'syrftest.pmInvestigator', docs: input },
        { ns: 'syrftest.pmProject', docs: projects },
      ],
    );
    const ids = docsOf(events, 'syrftest.pmInvestigator').map((d) => d._id as Binary);
    const refs = docsOf(events, 'syrftest.pmProject').map(
      (p) => (p.Investigators as { InvestigatorId: Binary }[])[0]!.InvestigatorId,
    );
    ids.forEach((id, i) => {
      expect(id.sub_type).toBe(3);
      const rfc = csharpLegacyToRfc(Buffer.from(id.buffer.subarray(0, 16)));
      expect(rfc[6]! >> 4).toBe(4); // version nibble, read in C# order
      expect(rfc[8]! >> 6).toBe(2); // RFC variant
      expect(Buffer.from(id.buffer).equals(Buffer.from(input[i]!._id.buffer))).toBe(false);
      expect(refs[i]!.sub_type).toBe(3);
      expect(Buffer.from(refs[i]!.buffer).equals(Buffer.from(id.buffer))).toBe(true);
    });
    expect(new Set(ids.map((id) => Buffer.from(id.buffer).toString('hex'))).size).toBe(30);
  });
});
