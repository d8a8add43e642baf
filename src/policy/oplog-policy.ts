import type { NormalizedRules } from '../config/normalized-rules.js';
import { formatNamespace, type Namespace } from '../core/namespace.js';
import { PolicyError } from '../errors/index.js';
import type { OplogPolicy } from '../transform/oplog/oplog-rewriter.js';
import type { FieldClassifier } from './field-classifier.js';
import { decideNamespace, type ClassificationOptions, type NamespaceDecision } from './namespace-policy.js';
import { fieldClassifierFor } from './path-classifier.js';
import { findUnclassifiedField } from './unclassified-field.js';

/**
 * The fail-closed policy for the entries of a dump's oplog, as for the collections themselves: an
 * entry's namespace is decided as a collection of the dump would be ({@link decideNamespace}:
 * excluded and internal ones dropped, unclassified ones refused unless `--allow-unclassified`), and
 * with `strict` rules every field an entry writes must be transformed or kept.
 *
 * @throws (from `decide`) PolicyError `UNCLASSIFIED_NAMESPACE`; (from `check`) PolicyError
 *   `UNCLASSIFIED_FIELD`, both naming the entry's optime
 */
export function oplogPolicy(rules: NormalizedRules, options: ClassificationOptions = {}): OplogPolicy {
  const decisions = new Map<string, { decision: NamespaceDecision; fields: FieldClassifier | null }>();
  const decided = (ns: Namespace) => {
    const name = formatNamespace(ns);
    let known = decisions.get(name);
    if (!known) {
      const decision = decideNamespace(
        { namespace: ns, collectionType: 'collection', metadataJson: '' },
        rules,
        options,
      );
      const check = decision.action === 'check' && rules.strict;
      known = { decision, fields: check ? fieldClassifierFor(rules, ns) : null };
      decisions.set(name, known);
    }
    return known;
  };
  return {
    decide(ns, optime) {
      const { decision } = decided(ns);
      if (decision.action === 'drop') return 'drop';
      if (decision.action !== 'refuse') return 'keep';
      const name = formatNamespace(ns);
      throw new PolicyError(
        'UNCLASSIFIED_NAMESPACE',
        `oplog entry ${optime}: ${decision.why}; nothing was written`,
        {
          subject: { namespace: name, optime },
          hint: `to classify it: ${decision.fixes.join('; or ')}`,
          labels: ['noWritesPerformed'],
        },
      );
    },
    check(ns, bson, optime) {
      const { fields } = decided(ns);
      if (!fields) return;
      const path = findUnclassifiedField(fields, bson);
      if (path === null) return;
      const name = formatNamespace(ns);
      throw new PolicyError(
        'UNCLASSIFIED_FIELD',
        `${name}: field ${path} written by oplog entry ${optime} is neither transformed nor kept (strict rules)`,
        {
          subject: { namespace: name, fieldPath: path, optime },
          hint: `classify it in the rules: a transform under fields, or add ${path} to keep`,
          labels: ['noWritesPerformed'],
        },
      );
    },
  };
}
