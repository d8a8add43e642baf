import type { CollectionEntry } from '../core/dump-event.js';
import type { NormalizedRules } from '../config/normalized-rules.js';
import { formatNamespace } from '../core/namespace.js';
import { PolicyError } from '../errors/index.js';
import { namespacePattern } from '../transform/namespace-pattern.js';
import { flaggedMetadataLiterals } from './metadata-literals.js';
import { decideNamespace, type ClassificationOptions, type NamespaceDecision } from './namespace-policy.js';

/**
 * Decide every namespace of a prelude under rules, before anything is written: the fail-closed
 * check that `anonymize`, `snapshot create`, `restore --rules` and `refresh` run up front, and
 * that the gate in the stream repeats.
 *
 * @returns the decision per namespace (`db.collection`)
 * @throws PolicyError `UNCLASSIFIED_NAMESPACE` listing every namespace that no rules key or
 *   exclusion classifies (and a dump's oplog), each with the ways to classify it
 * @throws PolicyError `METADATA_LITERAL` listing every flagged literal in index definitions,
 *   collection options or view pipelines that the rules do not keep (`keep_metadata`)
 * @throws ArchiveError `ARCHIVE_BAD_METADATA` for metadata that is not Extended JSON
 */
export function checkClassification(
  entries: readonly CollectionEntry[],
  rules: NormalizedRules,
  options: ClassificationOptions = {},
): Map<string, NamespaceDecision> {
  const decisions = new Map<string, NamespaceDecision>();
  const refused: CollectionEntry['namespace'][] = [];
  const lines: string[] = [];
  for (const entry of entries) {
    const decision = decideNamespace(entry, rules, options);
    decisions.set(formatNamespace(entry.namespace), decision);
    if (decision.action === 'refuse') refused.push(entry.namespace);
    if (decision.action === 'refuse')
      lines.push(`  ${decision.why}. To classify it: ${decision.fixes.join('; or ')}`);
  }
  if (refused.length > 0) {
    throw new PolicyError(
      'UNCLASSIFIED_NAMESPACE',
      `${refused.length} namespace${refused.length === 1 ? ' is' : 's are'} not classified by the rules; nothing was written:\n${lines.join('\n')}`,
      {
        subject: { namespace: refused.map(formatNamespace).join(',') },
        hint: 'classify each one in the rules file (a rules key with fields and keep, <collection>: null to keep it whole, or exclusions), or pass --allow-unclassified to copy them raw, deliberately (recorded in the manifest)',
        labels: ['noWritesPerformed'],
      },
    );
  }
  const flagged = entries.flatMap((entry) => {
    const decision = decisions.get(formatNamespace(entry.namespace));
    const checked = decision?.action === 'check' || entry.collectionType === 'view';
    if (!checked || decision?.action === 'drop') return [];
    const kept = rules.collections
      .filter((c) => namespacePattern(c.pattern)(entry.namespace))
      .flatMap((c) => c.keepMetadata);
    return flaggedMetadataLiterals(entry, kept);
  });
  if (flagged.length > 0) {
    const first = flagged[0];
    throw new PolicyError(
      'METADATA_LITERAL',
      `${flagged.length} literal${flagged.length === 1 ? '' : 's'} in collection metadata look${flagged.length === 1 ? 's' : ''} like personal data; nothing was written:\n${flagged
        .map((f) => `  ${f.namespace} ${f.place}: ${f.detector} (${f.example})`)
        .join('\n')}`,
      {
        subject: { namespace: first?.namespace, place: first?.place },
        hint: `if the value is not personal data, keep it: keep_metadata: [${first?.place ?? 'indexes.<name>'}] under the collection's rules; otherwise drop the index, validator or view from the source`,
        labels: ['noWritesPerformed'],
      },
    );
  }
  return decisions;
}
