import { inspect } from 'node:util';
import { registerSecret, registerUriSecrets } from '../core/redact.js';
import { InternalError } from '../errors/index.js';

/**
 * A resolved secret value. It reads as `***` in strings, logs and `util.inspect`, and refuses
 * `JSON.stringify`: a plan or result holding one cannot be serialised, so a resolved secret never
 * lands in a plan file. The value is registered with `registerSecret` (and, for a connection string, its
 * password), so any message quoting it is scrubbed too. Call {@link reveal} only where the value is used (a driver connect, a child's env).
 */
export class Secret {
  readonly #value: string;
  /** Where it came from, for messages (`$DBFORK_TARGET_URI`). */
  readonly source: string;

  constructor(value: string, source: string) {
    this.#value = value;
    this.source = source;
    registerSecret(value);
    registerUriSecrets(value);
  }

  reveal(): string {
    return this.#value;
  }

  toString(): string {
    return '***';
  }

  /** @throws InternalError always: serialising a resolved secret is a bug */
  toJSON(): never {
    throw new InternalError(`a resolved secret (${this.source}) cannot be serialised`);
  }

  [inspect.custom](): string {
    return `Secret(${this.source})`;
  }
}
