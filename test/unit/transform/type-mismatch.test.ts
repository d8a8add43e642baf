import { Int32 } from 'bson';
import { describe, expect, it } from 'vitest';
import { TransformError } from '../../../src/errors/index.js';
import { anonymize, docsOf } from './dump-events.js';

const docs = [
  { _id: 1, email: 'ok@example.org' },
  { _id: 2, email: new Int32(12345) },
  { _id: 3, email: 'not-an-email-secret-value' },
];

describe('fail-closed type handling', () => {
  it('by default a value the transform cannot handle is an error naming namespace, field and type, never the value', async () => {
    const run = anonymize('rules:\n  c:\n    fields:\n      email: { transform: hash_email }', [
      { ns: 'd.c', docs },
    ]);
    await expect(run).rejects.toBeInstanceOf(TransformError);
    const error = (await run.catch((e: unknown) => e)) as TransformError;
    expect(error.code).toBe('TRANSFORM_TYPE_MISMATCH');
    expect(error.subject).toMatchObject({ namespace: 'd.c', fieldPath: 'email', document: 2 });
    expect(error.message).toContain('got int');
    expect(error.message).not.toContain('12345');
    expect(error.exitCode).toBe(5);
  });

  it('a malformed string is a mismatch too (the seed passed it through)', async () => {
    const run = anonymize('rules:\n  c:\n    fields:\n      email: { transform: hash_email }', [
      { ns: 'd.c', docs: [docs[2]!] },
    ]);
    const error = (await run.catch((e: unknown) => e)) as TransformError;
    expect(error.code).toBe('TRANSFORM_TYPE_MISMATCH');
    expect(error.message).not.toContain('secret-value');
  });

  it('on_type_mismatch: null nulls the value; keep copies it (explicitly)', async () => {
    const asNull = docsOf(
      await anonymize(
        'rules:\n  c:\n    fields:\n      email: { transform: hash_email, on_type_mismatch: "null" }',
        [{ ns: 'd.c', docs }],
      ),
      'd.c',
    );
    expect(asNull.map((d) => d.email)).toEqual([expect.stringMatching(/@anonymized/), null, null]);
    const kept = docsOf(
      await anonymize(
        'rules:\n  c:\n    fields:\n      email: { transform: hash_email, on_type_mismatch: keep }',
        [{ ns: 'd.c', docs }],
      ),
      'd.c',
    );
    expect(kept.map((d) => d.email)).toEqual([
      expect.stringMatching(/@anonymized/),
      12345,
      'not-an-email-secret-value',
    ]);
  });

  it('defaults.on_type_mismatch sets the policy for every rule; null values pass untouched', async () => {
    const out = docsOf(
      await anonymize(
        'defaults:\n  on_type_mismatch: "null"\nrules:\n  c:\n    fields:\n      email: { transform: fake, kind: email }',
        [{ ns: 'd.c', docs: [...docs, { _id: 4, email: null }] }],
      ),
      'd.c',
    );
    expect(out.map((d) => d.email)).toEqual([
      expect.stringMatching(/@example\./),
      null,
      expect.stringMatching(/@example\./),
      null,
    ]);
  });

  it('a document where a scalar transform expects a scalar is a mismatch', async () => {
    const run = anonymize('rules:\n  c:\n    fields:\n      v: { transform: hash }', [
      { ns: 'd.c', docs: [{ _id: 1, v: { nested: 'pii' } }] },
    ]);
    await expect(run).rejects.toMatchObject({ code: 'TRANSFORM_TYPE_MISMATCH', subject: { fieldPath: 'v' } });
  });
});
