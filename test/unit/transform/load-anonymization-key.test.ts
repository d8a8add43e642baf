import { createHmac } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scrub } from '../../../src/core/redact.js';
import { PolicyError, UsageError } from '../../../src/errors/index.js';
import { keyedHasher } from '../../../src/transform/hasher.js';
import { loadAnonymizationKey } from '../../../src/transform/load-anonymization-key.js';

describe('loadAnonymizationKey', () => {
  it('refuses to run without a key', async () => {
    const run = loadAnonymizationKey({ env: {} });
    await expect(run).rejects.toBeInstanceOf(PolicyError);
    await expect(run).rejects.toMatchObject({ code: 'ANONYMIZATION_KEY_MISSING', exitCode: 8 });
  });

  it('refuses an empty or short key', async () => {
    await expect(loadAnonymizationKey({ env: { DBFORK_ANONYMIZATION_KEY: '' } })).rejects.toMatchObject({
      code: 'ANONYMIZATION_KEY_MISSING',
    });
    await expect(
      loadAnonymizationKey({ env: { DBFORK_ANONYMIZATION_KEY: 'short-key' } }),
    ).rejects.toMatchObject({ code: 'ANONYMIZATION_KEY_WEAK' });
  });

  it('reads the environment, registers the key as a secret, and never equals the unkeyed hasher', async () => {
    const key = 'env-key-0123456789-abcdef';
    const hasher = await loadAnonymizationKey({ env: { DBFORK_ANONYMIZATION_KEY: key } });
    expect(hasher.keyed).toBe(true);
    expect(scrub(`oops ${key} leaked`)).toBe('oops *** leaked');
  });

  it('reads a key file (one trailing newline ignored) in preference to the environment', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dbfork-key-'));
    writeFileSync(join(dir, 'key'), 'file-key-0123456789abcdef\n');
    const fromFile = await loadAnonymizationKey({
      keyFile: join(dir, 'key'),
      env: { DBFORK_ANONYMIZATION_KEY: 'env-key-0123456789-abcdef' },
    });
    const direct = keyedHasher(Buffer.from('file-key-0123456789abcdef'));
    expect(
      fromFile
        .forDomain('x')(Buffer.from('v'))
        .equals(direct.forDomain('x')(Buffer.from('v'))),
    ).toBe(true);
    await expect(loadAnonymizationKey({ keyFile: join(dir, 'missing') })).rejects.toMatchObject({
      code: 'KEY_FILE_UNREADABLE',
    });
  });

  it('--insecure-unkeyed gives the unkeyed hasher, and conflicts with a key', async () => {
    expect((await loadAnonymizationKey({ insecureUnkeyed: true, env: {} })).keyed).toBe(false);
    await expect(
      loadAnonymizationKey({
        insecureUnkeyed: true,
        env: { DBFORK_ANONYMIZATION_KEY: 'env-key-0123456789-abcdef' },
      }),
    ).rejects.toBeInstanceOf(UsageError);
  });
});

describe('keyedHasher', () => {
  it('is HMAC-SHA-256 over "dbfork/v1" NUL domain NUL input (RFC 2104), also for keys longer than a block', () => {
    for (const key of [Buffer.from('k'.repeat(20)), Buffer.alloc(100, 7)]) {
      const expected = createHmac('sha256', key)
        .update('dbfork/v1\0rule:c:email\0')
        .update('ann@x.org')
        .digest();
      expect(keyedHasher(key).forDomain('rule:c:email')(Buffer.from('ann@x.org')).equals(expected)).toBe(
        true,
      );
    }
  });
  it('separates domains and attempts', () => {
    const h = keyedHasher(Buffer.from('k'.repeat(20)));
    const v = Buffer.from('same');
    expect(h.forDomain('a')(v).equals(h.forDomain('b')(v))).toBe(false);
    expect(h.forDomain('a')(v, 1).equals(h.forDomain('a')(v))).toBe(false);
  });
});
