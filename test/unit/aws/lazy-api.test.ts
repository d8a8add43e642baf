import { describe, expect, it } from 'vitest';
import { lazyApi } from '../../../src/aws/lazy-api.js';

interface Api {
  hello(name: string): Promise<string>;
}

describe('lazyApi', () => {
  it('makes the implementation on the first call, once, and forwards every call', async () => {
    let made = 0;
    const api = lazyApi<Api>(async () => {
      made++;
      return { hello: async (name) => `hello ${name}` };
    });
    expect(made).toBe(0);
    expect(await Promise.all([api.hello('a'), api.hello('b')])).toEqual(['hello a', 'hello b']);
    expect(made).toBe(1);
  });

  it('tries again after a failed load, and is not taken for a promise', async () => {
    let attempts = 0;
    const api = lazyApi<Api>(async () => {
      attempts++;
      if (attempts === 1) throw new Error('no SDK');
      return { hello: async () => 'ok' };
    });
    expect((api as unknown as { then?: unknown }).then).toBeUndefined();
    await expect(api.hello('x')).rejects.toThrow('no SDK');
    expect(await api.hello('x')).toBe('ok');
  });
});
