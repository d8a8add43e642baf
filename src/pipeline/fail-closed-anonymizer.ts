import type { LoadedRules } from '../config/load-rules.js';
import { checkClassification } from '../policy/check-classification.js';
import { failClosedGate } from '../policy/fail-closed-gate.js';
import type { ClassificationOptions } from '../policy/namespace-policy.js';
import { oplogPolicy } from '../policy/oplog-policy.js';
import type { Hasher } from '../transform/hasher.js';
import { streamAnonymizer, type AnonymizerWorkers } from '../transform/stream-anonymizer.js';
import type { StreamTransform } from './stream-transform.js';

/**
 * Rules bound to a key (rewritten on `workers` threads when given), behind the fail-closed gate: every namespace classified (or the run stops
 * before it writes), every field of a ruled namespace transformed or kept (unless the rules say
 * `strict: false`), metadata literals checked, a dump's oplog rewritten entry by entry under the same policy (or dropped). No raw value that no
 * rule classified reaches the output, unless an opt-out recorded in {@link StreamTransform.record}
 * says so.
 *
 * @example
 * const anonymizer = failClosedAnonymizer(await loadRules('rules.yaml'), hasher, { dropOplog: true });
 * await writeDump(anonymizer.apply(readDump('prod.archive')), 'staging.archive');
 */
export function failClosedAnonymizer(
  rules: LoadedRules,
  hasher: Hasher,
  options: ClassificationOptions = {},
  workers?: AnonymizerWorkers,
): StreamTransform {
  const inner = streamAnonymizer(rules, hasher, {
    oplogPolicy: oplogPolicy(rules.rules, options),
    ...(workers === undefined ? {} : { workers }),
  });
  return {
    rulesDigest: inner.rulesDigest,
    keyed: inner.keyed,
    record: {
      strict: rules.rules.strict,
      allowUnclassified: Boolean(options.allowUnclassified),
      dropOplog: Boolean(options.dropOplog),
      keyFingerprint: hasher.fingerprint,
    },
    check: (collections) => void checkClassification(collections, rules.rules, options),
    apply: (events, applyOptions) => inner.apply(failClosedGate(events, rules.rules, options), applyOptions),
  };
}
