/**
 * An API object whose real implementation is made on the first call: every method of `T` must
 * return a Promise (the port interfaces of `ebs/` and `rds/` are all asynchronous), so a call can
 * wait for `load` first. Used so a process that never talks to AWS never loads the AWS SDK (its
 * modules take about half a second of CPU to load).
 *
 * @param load makes the implementation, once (a failure is not cached: the next call tries again)
 */
export function lazyApi<T extends object>(load: () => Promise<T>): T {
  let loaded: Promise<T> | undefined;
  const api = (): Promise<T> => {
    loaded ??= load().catch((error: unknown) => {
      loaded = undefined;
      throw error;
    });
    return loaded;
  };
  return new Proxy({} as T, {
    get(_target, name) {
      if (typeof name === 'symbol' || name === 'then') return undefined;
      return async (...args: unknown[]): Promise<unknown> => {
        const real = (await api()) as Record<string, (...a: unknown[]) => Promise<unknown>>;
        const method = real[name];
        if (typeof method !== 'function') throw new TypeError(`${name} is not a method of the API`);
        return method.apply(real, args);
      };
    },
  });
}
