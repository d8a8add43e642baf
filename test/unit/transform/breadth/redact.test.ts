import { describe, expect, it } from 'vitest';
import { anonymize, docsOf } from '../dump-events.js';

/** Made-up names no dictionary holds (the person-name detector cannot know them). */
const SYLLABLES = ['zor', 'vath', 'quil', 'leen', 'mab', 'rix', 'tov', 'ena', 'dru', 'sel', 'kor', 'ith'];
const madeUp = (i: number, salt: number) => {
  const a = SYLLABLES[(i * 7 + salt) % SYLLABLES.length]!;
  const b = SYLLABLES[(i * 3 + salt * 5 + 1) % SYLLABLES.length]!;
  const c = SYLLABLES[(Math.floor(i / 12) + salt) % SYLLABLES.length]!;
  const word = `${a}${b}${c}`;
  return word.charAt(0).toUpperCase() + word.slice(1);
};

/** The literal pieces of each note, between the personal parts. */
const PIECES = ['Call ', ' (', ') about the refund; write to ', ' or ask ', ' ', ' at the desk. Ref done.'];

function customer(i: number) {
  const first = madeUp(i, 1);
  const last = madeUp(i, 4);
  const email = `${first.toLowerCase()}.${last.toLowerCase()}${i}@mail.example.org`;
  const phone = `+44 20 7946 ${String(1000 + (i % 9000)).padStart(4, '0')}`;
  const note =
    PIECES[0] +
    first +
    PIECES[1] +
    phone +
    PIECES[2] +
    email +
    PIECES[3] +
    first +
    PIECES[4] +
    last +
    PIECES[5];
  return { _id: i, first, last, email, phone, note };
}

const RULES = `
rules:
  crm.customers:
    fields:
      first: { transform: fake, kind: first_name }
      last: { transform: fake, kind: last_name }
      email: { transform: hash_email, group: email }
      phone: { transform: phone }
      note: { transform: redact, email_group: email, name_fields: [first, last] }
`;

describe('redact (free text)', () => {
  it('replaces emails, phones and names from the document’s own fields; a check over the originals finds 0', async () => {
    const docs = Array.from({ length: 2000 }, (_, i) => customer(i));
    const out = docsOf(await anonymize(RULES, [{ ns: 'crm.customers', docs }]), 'crm.customers');
    let leaks = 0;
    let unchangedOutside = 0;
    let emailJoins = 0;
    let coherent = 0;
    out.forEach((d, i) => {
      const original = docs[i]!;
      const note = d.note as string;
      const lower = note.toLowerCase();
      for (const v of [original.email, original.phone]) if (lower.includes(v.toLowerCase())) leaks++;
      for (const name of [original.first, original.last])
        if (new RegExp(`(?<![\\p{L}])${name}(?![\\p{L}])`, 'iu').test(note)) leaks++;
      // the text outside the findings is unchanged: every literal piece is there, in order
      let at = 0;
      let inOrder = true;
      for (const piece of PIECES) {
        const found = note.indexOf(piece, at);
        if (found < 0) inOrder = false;
        at = found + piece.length;
      }
      if (inOrder && note.endsWith(PIECES[5]!) && note.startsWith(PIECES[0]!)) unchangedOutside++;
      // the email in the note is exactly the hash_email pseudonym of the email field (same group)
      if (note.includes(` ${d.email as string} `)) emailJoins++;
      // names become the name fields' anonymized values: the note names the same fake person
      if (
        note.includes(`Call ${d.first as string} (`) &&
        note.includes(` ask ${d.first as string} ${d.last as string} at`)
      )
        coherent++;
    });
    expect(coherent).toBe(docs.length);
    expect(leaks).toBe(0);
    expect(unchangedOutside).toBe(docs.length);
    expect(emailJoins).toBe(docs.length);
  });

  it('keeps text without findings byte for byte, and is deterministic', async () => {
    const docs = [{ _id: 1, note: 'Nothing personal here, just 42 apples.' }];
    const rules = 'rules:\n  c:\n    fields:\n      note: { transform: redact }';
    const a = docsOf(await anonymize(rules, [{ ns: 'd.c', docs }]), 'd.c')[0]!;
    expect(a.note).toBe(docs[0]!.note);
    const text = [
      { _id: 1, note: 'Mail ann@x.example, card 4111 1111 1111 1111, IBAN DE89370400440532013000.' },
    ];
    const b1 = docsOf(await anonymize(rules, [{ ns: 'd.c', docs: text }]), 'd.c')[0]!.note as string;
    const b2 = docsOf(await anonymize(rules, [{ ns: 'd.c', docs: text }]), 'd.c')[0]!.note as string;
    expect(b1).toBe(b2);
    expect(b1).not.toContain('ann@x.example');
    expect(b1).not.toContain('4111 1111 1111 1111');
    expect(b1).toMatch(
      /^Mail [0-9a-f]{12}\.[0-9a-f]{4}@anonymized\.dbfork\.local, card 4\d{3} \d{4} \d{4} \d{4}, IBAN DE\d{20}\.$/,
    );
  });

  it('mask mode writes the kind in brackets; kinds limits what is found', async () => {
    const docs = [{ _id: 1, note: 'Ann Smith: ann@x.example, +44 20 7946 0958, 10.1.2.3' }];
    const masked = docsOf(
      await anonymize('rules:\n  c:\n    fields:\n      note: { transform: redact, mode: mask }', [
        { ns: 'd.c', docs },
      ]),
      'd.c',
    )[0]!.note;
    expect(masked).toBe('[name]: [email], [phone], [ip]');
    const onlyEmail = docsOf(
      await anonymize(
        'rules:\n  c:\n    fields:\n      note: { transform: redact, mode: mask, kinds: [email] }',
        [{ ns: 'd.c', docs }],
      ),
      'd.c',
    )[0]!.note;
    expect(onlyEmail).toBe('Ann Smith: [email], +44 20 7946 0958, 10.1.2.3');
  });

  it('refuses an email_group that is not a hash_email group', async () => {
    await expect(
      anonymize('rules:\n  c:\n    fields:\n      note: { transform: redact, email_group: nope }', [
        { ns: 'd.c', docs: [] },
      ]),
    ).rejects.toThrow(/email_group "nope" is not a group of hash_email rules/);
  });
});
