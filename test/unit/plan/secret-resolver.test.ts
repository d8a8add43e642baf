import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { scrub } from '../../../src/core/redact.js';
import { isDbforkError } from '../../../src/errors/index.js';
import { parseProjectConfig } from '../../../src/config/project-config.js';
import { createSecretResolver } from '../../../src/plan/secret-resolver.js';

const dir = mkdtempSync(join(tmpdir(), 'dbfork-secrets-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('secret references', () => {
  it('resolves env, file, config and this run’s args at apply time, and scrubs the values', async () => {
    writeFileSync(join(dir, 'uri'), 'mongodb://u:from-file-pw@h/\n');
    const config = parseProjectConfig('target:\n  uri: mongodb://u:${CFG_PW}@h/\n', 'dbfork.yaml', {
      CFG_PW: 'from-config-pw',
    });
    const resolver = createSecretResolver({
      env: { TARGET: 'mongodb://u:from-env-pw@h/' },
      config: (key) => config.value(key),
      args: { '--to': 'mongodb://u:from-arg-pw@h/' },
    });
    expect((await resolver.resolve({ env: 'TARGET' })).reveal()).toBe('mongodb://u:from-env-pw@h/');
    expect((await resolver.resolve({ file: join(dir, 'uri') })).reveal()).toBe('mongodb://u:from-file-pw@h/');
    expect((await resolver.resolve({ config: 'target.uri' })).reveal()).toContain('from-config-pw');
    expect((await resolver.resolve({ arg: '--to' })).reveal()).toContain('from-arg-pw');
    expect((await resolver.resolve({ uri: 'mongodb://h/' })).reveal()).toBe('mongodb://h/');
    expect(scrub('said mongodb://u:from-env-pw@h/ and from-env-pw')).not.toContain('from-env-pw');
  });

  it('names what is missing and how to give it', async () => {
    const resolver = createSecretResolver({ env: { EMPTY: '' } });
    for (const [ref, hint] of [
      [{ env: 'EMPTY' }, /set the environment variable EMPTY/],
      [{ env: 'UNSET_X' }, /UNSET_X/],
      [{ file: join(dir, 'nope') }, /readable/],
      [{ config: 'a.b' }, /--config/],
      [{ arg: '--to' }, /--to-env/],
    ] as const) {
      const error = await resolver.resolve(ref).catch((e: unknown) => e);
      expect(isDbforkError(error) && error.code).toBe('PLAN_SECRET_UNRESOLVED');
      expect(isDbforkError(error) && error.hint).toMatch(hint);
    }
    expect(await resolver.resolveOptional({ env: 'UNSET_X' })).toBeUndefined();
  });
});
