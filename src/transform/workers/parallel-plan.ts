import type { NormalizedRules } from '../../config/normalized-rules.js';
import type { CollectionEntry } from '../../core/dump-event.js';
import type { Anonymizer, NamespacePlan } from '../anonymizer.js';
import { namespacePattern } from '../namespace-pattern.js';
import { domainName, type RuleDomain } from '../rule-domain.js';

/** Which namespaces rewrite workers may take, and the uniqueness registries they must agree with. */
export interface ParallelPlan {
  /** Namespaces whose documents are rewritten one by one with no state besides uniqueness. */
  readonly eligible: ReadonlySet<string>;
  /** Every domain with a uniqueness registry used by a rewritten namespace, in first-use order. */
  readonly uniqueDomains: readonly RuleDomain[];
  /**
   * The domains of eligible namespaces without a registry yet: should one get a registry later (a
   * namespace planned mid-stream requiring it unique), workers, which do not claim there, must stop.
   */
  readonly freeDomains: readonly RuleDomain[];
}

/**
 * Split planned namespaces into those workers may rewrite and those that stay in the main thread:
 * a namespace stays when its rules keep state across documents (`size_limits`, `shuffle`, a counter
 * `sequential` in any of its domains), since its output then depends on the whole stream. Both the
 * main thread and every worker compute this from the same plans in the same order, so the domain
 * list is the same on both sides.
 *
 * @param planned the prelude's entries with their plans, in stream order (planned already)
 */
export function parallelPlan(
  anonymizer: Anonymizer,
  planned: readonly { readonly entry: CollectionEntry; readonly plan: NamespacePlan }[],
): ParallelPlan {
  const rules = anonymizer.rules;
  const stateful = statefulDomains(rules);
  const eligible = new Set<string>();
  const unique = new Map<string, RuleDomain>();
  const free = new Map<string, RuleDomain>();
  for (const { entry, plan } of planned) {
    if (plan.excluded || plan.rewriter === null) continue;
    let keepsState = plan.limit !== null || plan.shuffle !== null;
    const domains: RuleDomain[] = [];
    for (const collection of rules.collections) {
      if (!namespacePattern(collection.pattern)(entry.namespace)) continue;
      for (const rule of collection.fields) {
        if (rule.transform === 'shuffle') continue;
        const domain = anonymizer.domainOf(collection.pattern, rule);
        if (stateful.has(domain.name)) keepsState = true;
        if (domain.registry && !unique.has(domain.name)) unique.set(domain.name, domain);
        domains.push(domain);
      }
    }
    if (keepsState) continue;
    eligible.add(plan.namespace);
    for (const domain of domains) if (!domain.registry) free.set(domain.name, domain);
  }
  return { eligible, uniqueDomains: [...unique.values()], freeDomains: [...free.values()] };
}

/** Domains that number values in stream order (a counter `sequential` / `sequential_suffix` rule). */
function statefulDomains(rules: NormalizedRules): ReadonlySet<string> {
  const names = new Set<string>();
  for (const collection of rules.collections)
    for (const rule of collection.fields) {
      const counter =
        (rule.transform === 'sequential' || rule.transform === 'sequential_suffix') &&
        rule.options.deterministic !== true;
      if (counter) names.add(domainName(collection.pattern, rule));
    }
  return names;
}
