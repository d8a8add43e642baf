import type { NormalizedFieldRule } from '../config/normalized-rules.js';
import type { FieldTransform } from './field-transform.js';
import type { DomainDigest, Hasher } from './hasher.js';
import { createTransform, type TransformEnvironment } from './transforms/index.js';
import { UniquenessRegistry } from './uniqueness-registry.js';

/**
 * What rules of one domain share: the transform instance (so a group shares its `sequential`
 * counter), the keyed digest, and, once any rule of the domain must be unique, one uniqueness
 * registry that every rule of the domain consults (so references resolve collisions like the id).
 */
export interface RuleDomain {
  readonly name: string;
  readonly transform: FieldTransform;
  readonly digest: DomainDigest;
  registry: UniquenessRegistry | null;
}

/** The domain name of a rule: `group:<group>`, or `rule:<collection key>:<path>` (domain separation). */
export function domainName(collectionPattern: string, rule: NormalizedFieldRule): string {
  return rule.group !== null ? `group:${rule.group}` : `rule:${collectionPattern}:${rule.path}`;
}

/** Creates each domain once and hands out the shared instance. */
export class RuleDomains {
  readonly #domains = new Map<string, RuleDomain>();
  readonly #hasher: Hasher;
  readonly #maxEntries: number;

  readonly #environment: TransformEnvironment;

  /** @param rules every field rule of the file (a transform may use another group's options) */
  constructor(hasher: Hasher, uniqueMaxEntries: number, rules: readonly NormalizedFieldRule[] = []) {
    this.#hasher = hasher;
    this.#maxEntries = uniqueMaxEntries;
    this.#environment = { hasher, groupRule: (group) => rules.find((r) => r.group === group) };
  }

  get(collectionPattern: string, rule: NormalizedFieldRule): RuleDomain {
    const name = domainName(collectionPattern, rule);
    let domain = this.#domains.get(name);
    if (!domain) {
      domain = {
        name,
        transform: createTransform(rule, this.#environment),
        digest: this.#hasher.forDomain(name),
        registry: null,
      };
      this.#domains.set(name, domain);
    }
    return domain;
  }

  /** Turn on uniqueness for a domain (idempotent). */
  requireUnique(domain: RuleDomain, label: string): void {
    domain.registry ??= new UniquenessRegistry(
      domain.name.startsWith('group:') ? domain.name.replace(':', ' ') : label,
      this.#maxEntries,
    );
  }
}
