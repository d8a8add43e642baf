import type { NormalizedRules } from '../../config/normalized-rules.js';
import type { Namespace } from '../../core/namespace.js';
import { namespacePattern } from '../namespace-pattern.js';

/**
 * What the rules of one namespace mean for its oplog entries, beyond the per-value rewrite:
 * - `orderDependent`: paths whose output depends on the document's position in the stream
 *   (`sequential` counters): an entry that reaches one cannot give the final document's value;
 * - `windowed`: `shuffle` paths, whose value comes from another document of the same window, which
 *   an entry does not have: an entry that reaches one cannot be rewritten (it would carry the
 *   document's own original value);
 * - `documentDependent`: rules whose output depends on other fields of the document (`template`,
 *   or a rule with a `when:` condition): an update cannot recompute them from the fields it writes;
 * - `positional`: a rule path names an array position (`items.0.sku`), which a `$set` path cannot be
 *   matched against without the document.
 */
export interface OplogRuleTraits {
  readonly orderDependent: readonly string[];
  readonly windowed: readonly string[];
  readonly documentDependent: readonly string[];
  readonly positional: boolean;
}

/** The traits of the rules that apply to `ns` (pure). */
export function oplogRuleTraits(rules: NormalizedRules, ns: Namespace): OplogRuleTraits {
  const orderDependent: string[] = [];
  const windowed: string[] = [];
  const documentDependent: string[] = [];
  let positional = false;
  for (const collection of rules.collections) {
    if (!namespacePattern(collection.pattern)(ns)) continue;
    for (const rule of collection.fields) {
      const counter =
        (rule.transform === 'sequential' || rule.transform === 'sequential_suffix') &&
        rule.options.deterministic !== true;
      if (counter) orderDependent.push(rule.path);
      if (rule.transform === 'shuffle') windowed.push(rule.path);
      const when = (rule as { readonly when?: unknown }).when;
      if (rule.transform === 'template' || (when !== undefined && when !== null))
        documentDependent.push(rule.path);
      if (rule.path.split('.').some((s) => /^\d+$/.test(s))) positional = true;
    }
  }
  return { orderDependent, windowed, documentDependent, positional };
}
