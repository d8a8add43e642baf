import { ObjectId } from 'bson';
import { describe, expect, it } from 'vitest';
import { canonicalBytes } from '../../../../src/transform/canonical-bytes.js';
import { keyedHasher } from '../../../../src/transform/hasher.js';
import { SeededFaker } from '../../../../src/transform/seeded-faker.js';
import { derivePerson } from '../../../../src/transform/transforms/person.js';
import { anonymize, docsOf, TEST_KEY } from '../dump-events.js';

const RULES = `
rules:
  app.users:
    fields:
      first: { transform: person, part: first_name, seed_field: email, identity: customer }
      last: { transform: person, part: last_name, seed_field: email, identity: customer }
      name: { transform: person, part: full_name, seed_field: email, identity: customer }
      login: { transform: person, part: username, seed_field: email, identity: customer }
      email: { transform: person, part: email, identity: customer }
  app.orders:
    fields:
      customerName: { transform: person, part: full_name, seed_field: customerEmail, identity: customer }
      customerEmail: { transform: person, part: email, identity: customer }
`;

describe('person (coherent identities)', () => {
  it('derives one consistent fake person per identity, the same in another collection and another run', async () => {
    const users = Array.from({ length: 200 }, (_, i) => ({
      _id: i,
      first: `F${i}`,
      last: `L${i}`,
      name: `F${i} L${i}`,
      login: `fl${i}`,
      email: `user${i}@corp.example`,
    }));
    const orders = users.map((u, i) => ({ _id: i, customerName: u.name, customerEmail: u.email }));
    const run = async () => {
      const events = await anonymize(RULES, [
        { ns: 'app.users', docs: users },
        { ns: 'app.orders', docs: orders },
      ]);
      return { users: docsOf(events, 'app.users'), orders: docsOf(events, 'app.orders') };
    };
    const a = await run();
    const b = await run();
    expect(b).toEqual(a);
    for (const [i, u] of a.users.entries()) {
      expect(u.name).toBe(`${u.first} ${u.last}`);
      const ascii = (s: string) =>
        s
          .normalize('NFD')
          .replace(/[^A-Za-z0-9]/g, '')
          .toLowerCase();
      expect(u.email).toMatch(
        new RegExp(`^${ascii(u.first)}\\.${ascii(u.last)}\\d{3}@example\\.(com|net|org)$`),
      );
      expect(u.login).toBe(
        `${ascii(u.first).slice(0, 1)}${ascii(u.last)}${(u.email as string).match(/(\d{3})@/)![1]}`,
      );
      expect(a.orders[i]!.customerName).toBe(u.name);
      expect(a.orders[i]!.customerEmail).toBe(u.email);
    }
  });

  it('gives different people to different identities: collision rate over 100k identities', () => {
    const seed = keyedHasher(Buffer.from(TEST_KEY)).forDomain('person:customer');
    const faker = new SeededFaker();
    const names = new Set<string>();
    const emails = new Set<string>();
    const n = 100_000;
    for (let i = 0; i < n; i++) {
      const p = derivePerson(seed(canonicalBytes(new ObjectId(i.toString(16).padStart(24, '0')))), faker);
      names.add(p.full_name);
      emails.add(p.email);
    }
    const emailCollisions = n - emails.size;
    const nameCollisions = n - names.size;
    console.log(
      `person over ${n} identities: ${emailCollisions} email collisions (${((100 * emailCollisions) / n).toFixed(3)} %), ` +
        `${nameCollisions} full-name collisions (${((100 * nameCollisions) / n).toFixed(2)} %)`,
    );
    expect(emailCollisions / n).toBeLessThan(0.001);
    expect(nameCollisions / n).toBeLessThan(0.1);
  });
});
