import { Int32, Long, MongoClient, ObjectId } from 'mongodb';

const FIRST = ['Ada', 'Grace', 'Alan', 'Edsger', 'Barbara', 'Donald', 'Frances', 'Ken', 'Radia', 'Tim'];
const LAST = [
  'Lovelace',
  'Hopper',
  'Turing',
  'Dijkstra',
  'Liskov',
  'Knuth',
  'Allen',
  'Thompson',
  'Perlman',
  'Lee',
];

/** A realistic customer-like document (~450 bytes of BSON), deterministic in `i`. */
export function customer(i: number): Record<string, unknown> {
  const first = FIRST[i % FIRST.length]!;
  const last = LAST[(i * 7) % LAST.length]!;
  return {
    _id: ObjectId.createFromTime(1_700_000_000 + i),
    username: `${first.toLowerCase()}${i}`,
    name: `${first} ${last}`,
    email: `${first.toLowerCase()}.${last.toLowerCase()}${i}@example.com`,
    address: {
      street: `${(i % 999) + 1} Main Street`,
      city: 'Springfield',
      zip: String(10000 + (i % 89999)),
    },
    birthdate: new Date(Date.UTC(1950 + (i % 50), i % 12, (i % 28) + 1)),
    active: i % 3 !== 0,
    accounts: [new Int32(100000 + i), new Int32(200000 + i)],
    balance: new Long(i * 1013),
    score: (i % 1000) / 7,
    tier_and_details: {
      tier: ['gold', 'silver', 'bronze'][i % 3],
      benefits: ['lounge', 'cashback'],
      id: `t-${i}`,
    },
    notes: `Customer ${i} prefers contact by email; last visit ${i % 365} days ago.`,
  };
}

/** Make sure `db.customers` on `uri` holds exactly `count` generated documents. */
export async function ensureGenerated(uri: string, db: string, count: number): Promise<void> {
  const client = new MongoClient(uri);
  try {
    const coll = client.db(db).collection('customers');
    if ((await coll.estimatedDocumentCount()) === count) return;
    await coll.drop().catch(() => undefined);
    const batch = 5000;
    for (let start = 0; start < count; start += batch) {
      const docs = Array.from({ length: Math.min(batch, count - start) }, (_, k) => customer(start + k));
      await coll.insertMany(docs, { ordered: false });
    }
  } finally {
    await client.close();
  }
}
