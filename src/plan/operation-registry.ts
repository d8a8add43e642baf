import { InternalError, UsageError } from '../errors/index.js';
import type { OperationKind } from './operation-kind.js';

/** Operation kinds by name: what a plan's `kind` strings mean. */
export class OperationRegistry {
  readonly #kinds = new Map<string, OperationKind>();

  /**
   * Add an operation kind; chainable.
   *
   * @throws InternalError when the kind is registered already (a wiring bug)
   */
  register<P>(kind: OperationKind<P>): this {
    if (this.#kinds.has(kind.kind))
      throw new InternalError(`operation kind ${kind.kind} is registered twice`);
    this.#kinds.set(kind.kind, kind as unknown as OperationKind);
    return this;
  }

  /** @throws UsageError `PLAN_UNKNOWN_KIND` for a kind this dbfork does not know */
  get(kind: string): OperationKind {
    const found = this.#kinds.get(kind);
    if (found) return found;
    throw new UsageError('PLAN_UNKNOWN_KIND', `unknown operation kind ${kind}`, {
      subject: { kind },
      hint: `known kinds: ${[...this.#kinds.keys()].sort().join(', ')}; was the plan made by a newer dbfork?`,
    });
  }

  /** The registered kind names, sorted. */
  kinds(): string[] {
    return [...this.#kinds.keys()].sort();
  }
}
