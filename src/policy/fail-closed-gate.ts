import type { DumpEvent, DumpEventStream } from '../core/dump-event.js';
import type { NormalizedRules } from '../config/normalized-rules.js';
import { formatNamespace } from '../core/namespace.js';
import { PolicyError } from '../errors/index.js';
import { unlistedNamespace } from '../core/unlisted-namespace.js';
import { checkClassification } from './check-classification.js';
import type { FieldClassifier } from './field-classifier.js';
import type { ClassificationOptions, NamespaceDecision } from './namespace-policy.js';
import { fieldClassifierFor } from './path-classifier.js';
import { findUnclassifiedField } from './unclassified-field.js';

interface GateState {
  readonly decision: NamespaceDecision;
  /** Set for namespaces whose every document is checked (strict rules, a matching key). */
  readonly fields: FieldClassifier | null;
  position: number;
}

/**
 * The fail-closed gate in front of the anonymizer: `DumpEventStream → DumpEventStream`, pulled
 * with backpressure, one document at a time.
 *
 * - prelude: every namespace is classified ({@link checkClassification}) or the stream fails
 *   before its first event reaches a writer; dropped namespaces (exclusions, internal databases,
 *   the oplog with `--drop-oplog`) leave the prelude;
 * - documents of a namespace with a matching rules key: with `strict` rules (the default), a
 *   field path neither transformed nor kept fails the run with the namespace, the path and the
 *   document's position (1-based, in input order), before the writer can commit anything.
 *
 * @throws PolicyError `UNCLASSIFIED_NAMESPACE`, `METADATA_LITERAL` (at the prelude) or
 *   `UNCLASSIFIED_FIELD` (at a document); ArchiveError `ARCHIVE_UNKNOWN_NAMESPACE` for data of a
 *   namespace the prelude does not list
 */
export async function* failClosedGate(
  events: DumpEventStream,
  rules: NormalizedRules,
  options: ClassificationOptions = {},
): AsyncGenerator<DumpEvent> {
  const states = new Map<string, GateState>();
  for await (const event of events) {
    if (event.type === 'prelude') {
      const decisions = checkClassification(event.collections, rules, options);
      const kept = event.collections.filter((entry) => {
        const name = formatNamespace(entry.namespace);
        const decision = decisions.get(name);
        if (!decision) return false;
        const check = decision.action === 'check' && rules.strict;
        states.set(name, {
          decision,
          fields: check ? fieldClassifierFor(rules, entry.namespace) : null,
          position: 0,
        });
        return decision.action !== 'drop';
      });
      yield { ...event, collections: kept };
      continue;
    }
    const name = formatNamespace(event.namespace);
    const state = states.get(name);
    if (!state) throw unlistedNamespace(event);
    if (state.decision.action === 'drop') continue;
    if (event.type === 'document' && state.fields) {
      state.position++;
      const path = findUnclassifiedField(state.fields, event.bson);
      if (path !== null) throw unclassifiedField(name, path, state.position);
    }
    yield event;
  }
}

function unclassifiedField(namespace: string, path: string, position: number): PolicyError {
  return new PolicyError(
    'UNCLASSIFIED_FIELD',
    `${namespace}: field ${path} of document ${position} is neither transformed nor kept (strict rules)`,
    {
      subject: { namespace, fieldPath: path, document: position },
      hint: `classify it in the rules: a transform under fields, or add ${path} to keep (strict: false turns this check off, deliberately; scan --strict lists every such field)`,
      labels: ['noWritesPerformed'],
    },
  );
}
