import { ObjectId } from 'bson';
import { describe, expect, it } from 'vitest';
import { keyedHasher } from '../../../src/transform/hasher.js';
import { anonymize, bytesOf, docsOf, type TestCollection } from './dump-events.js';

const RULES = `
rules:
  app.users:
    fields:
      _id: { transform: pseudonymous_id, group: user_id }
      email: { transform: hash_email, group: email }
      name: { transform: fake, kind: full_name }
  app.orders:
    fields:
      userId: { transform: pseudonymous_id, group: user_id }
      contact.email: { transform: hash_email, group: email }
      note: { transform: fake, kind: full_name }
`;

function dataset(): TestCollection[] {
  const ids = Array.from({ length: 50 }, (_, i) => ObjectId.createFromTime(1_600_000_000 + i));
  return [
    {
      ns: 'app.users',
      docs: ids.map((_id, i) => ({ _id, email: `person${i}@mail.example`, name: `Person ${i}` })),
    },
    {
      ns: 'app.orders',
      docs: ids.map((id, i) => ({
        _id: i,
        userId: id,
        contact: { email: `person${i}@mail.example` },
        note: `Person ${i}`,
      })),
    },
  ];
}

describe('determinism and consistency', () => {
  it('the same key gives byte-identical output on two runs', async () => {
    const a = await anonymize(RULES, dataset());
    const b = await anonymize(RULES, dataset());
    expect(bytesOf(a).equals(bytesOf(b))).toBe(true);
    expect(bytesOf(a).length).toBeGreaterThan(1000);
  });

  it('a different key gives different pseudonyms for every transformed value', async () => {
    const a = docsOf(await anonymize(RULES, dataset()), 'app.users');
    const b = docsOf(
      await anonymize(RULES, dataset(), keyedHasher(Buffer.from('another-key-with-enough-bytes'))),
      'app.users',
    );
    for (let i = 0; i < a.length; i++) {
      expect(b[i]!.email).not.toBe(a[i]!.email);
      expect((b[i]!._id as ObjectId).equals(a[i]!._id as ObjectId)).toBe(false);
    }
  });

  it('the same email in two collections of one group gets the same pseudonym', async () => {
    const events = await anonymize(RULES, dataset());
    const users = docsOf(events, 'app.users');
    const orders = docsOf(events, 'app.orders');
    expect(users[7]!.email).toMatch(/@anonymized\.dbfork\.local$/);
    for (let i = 0; i < users.length; i++)
      expect((orders[i]!.contact as { email: string }).email).toBe(users[i]!.email);
  });

  it('references to a pseudonymized _id still join (shared group)', async () => {
    const original = dataset();
    const events = await anonymize(RULES, original);
    const users = docsOf(events, 'app.users');
    const orders = docsOf(events, 'app.orders');
    const byId = new Map(users.map((u) => [(u._id as ObjectId).toHexString(), u]));
    for (const order of orders) {
      const user = byId.get((order.userId as ObjectId).toHexString());
      expect(user).toBeDefined();
      expect((order.contact as { email: string }).email).toBe(user!.email);
    }
    const originalIds = new Set(original[0]!.docs.map((d) => (d._id as ObjectId).toHexString()));
    expect(users.some((u) => originalIds.has((u._id as ObjectId).toHexString()))).toBe(false);
  });

  it('without a shared group, equal inputs of two rules get unrelated outputs (domain separation)', async () => {
    const events = await anonymize(RULES, dataset());
    const users = docsOf(events, 'app.users');
    const orders = docsOf(events, 'app.orders');
    expect(orders[3]!.note).not.toBe(users[3]!.name);
  });
});
