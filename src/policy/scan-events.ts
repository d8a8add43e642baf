import { DEFAULT_SAMPLE } from './scan-defaults.js';
import { deserialize } from 'bson';
import type { DumpEventStream } from '../core/dump-event.js';
import type { NormalizedRules } from '../config/normalized-rules.js';
import { formatNamespace, type Namespace } from '../core/namespace.js';
import { UsageError } from '../errors/index.js';
import { bsonTypeName } from '../transform/bson-value.js';
import { displayPath } from '../transform/path-coverage.js';
import type { DetectorName } from './detectors/index.js';
import { detectValue } from './detect-value.js';
import { walkLeaves } from './walk-leaves.js';
import { isOplog } from './namespace-policy.js';
import { oplogDocuments } from './oplog-documents.js';
import { maskExample } from './mask-example.js';
import { pathClassifier, type PathClassifier } from './path-classifier.js';
import type {
  PathClassification,
  ScanFinding,
  ScannedNamespace,
  ScanReport,
  UnclassifiedPath,
} from './scan-report.js';

export interface ScanOptions {
  /** With rules, transformed and kept paths are not findings. */
  readonly rules?: NormalizedRules;
  /** Also fail on sampled paths neither transformed nor kept (needs rules). */
  readonly strict?: boolean;
  /** Documents examined per namespace, the first N of the stream (default 1000; 0 = all). */
  readonly sample?: number;
}

/** Masked examples kept per finding. */
const EXAMPLES = 3;
export { DEFAULT_SAMPLE };

interface NamespaceState {
  readonly classifier: PathClassifier;
  sampled: number;
  documents: number;
  readonly paths: Set<string>;
}

interface Tally {
  count: number;
  readonly examples: string[];
  readonly classification: PathClassification;
}

/**
 * The scan core over any dump stream (a dump file, a live sample, a snapshot): sample the first N
 * documents of each namespace, walk every leaf value, run the detectors (detectors/index.ts) on
 * strings (and the card detector on 13–19-digit numbers), and classify each path against the rules.
 * Findings are detector matches on unclassified paths; with `strict`, unclassified paths themselves
 * fail the scan. Documents past the sample are counted, never decoded. The documents an oplog
 * entry carries (`o`, `o2`, nested `applyOps`) are examined as documents of their own namespace,
 * reported as `<db>.<collection> (oplog)`. Pure: never throws on data.
 *
 * @throws UsageError `SCAN_STRICT_NEEDS_RULES` for strict without rules
 */
export async function scanEvents(events: DumpEventStream, options: ScanOptions = {}): Promise<ScanReport> {
  const strict = options.strict ?? false;
  if (strict && !options.rules) {
    throw new UsageError('SCAN_STRICT_NEEDS_RULES', '--strict checks paths against rules: give --rules', {
      hint: 'dbfork scan --in dump --rules anonymization-rules.yaml --strict',
    });
  }
  const sample = options.sample ?? DEFAULT_SAMPLE;
  const states = new Map<string, NamespaceState>();
  const hits = new Map<string, Tally & { namespace: string; path: string; detector: DetectorName }>();
  const drift = new Map<string, { namespace: string; path: string; count: number; types: Set<string> }>();

  const examine = (namespace: string, state: NamespaceState, document: unknown): void =>
    walkLeaves(document, [], (steps, value) => {
      const path = displayPath(steps);
      state.paths.add(path);
      const classification = state.classifier.classify(steps);
      if (classification === 'unclassified' && strict) {
        const key = `${namespace}\0${path}`;
        const entry = drift.get(key) ?? { namespace, path, count: 0, types: new Set<string>() };
        entry.count++;
        entry.types.add(bsonTypeName(value));
        drift.set(key, entry);
      }
      for (const [detector, match] of detectValue(value)) {
        const key = `${namespace}\0${path}\0${detector}\0${classification}`;
        let tally = hits.get(key);
        if (!tally) {
          tally = { namespace, path, detector, count: 0, examples: [], classification };
          hits.set(key, tally);
        }
        tally.count++;
        const example = maskExample(match);
        if (tally.examples.length < EXAMPLES && !tally.examples.includes(example))
          tally.examples.push(example);
      }
    });

  for await (const event of events) {
    if (event.type === 'prelude') {
      for (const entry of event.collections) {
        const name = formatNamespace(entry.namespace);
        states.set(name, newState(options.rules, entry.namespace));
      }
      continue;
    }
    if (event.type !== 'document') continue;
    const namespace = formatNamespace(event.namespace);
    let state = states.get(namespace);
    if (!state) {
      state = newState(options.rules, event.namespace);
      states.set(namespace, state);
    }
    state.documents++;
    if (state.classifier.excluded || (sample > 0 && state.sampled >= sample)) continue;
    state.sampled++;
    const document = deserialize(event.bson, { promoteValues: false, bsonRegExp: true });
    if (isOplog(event.namespace)) {
      // an oplog entry carries other namespaces' documents: examine each as a document of its namespace
      for (const carried of oplogDocuments(document)) {
        const name = `${formatNamespace(carried.namespace)} (oplog)`;
        let inner = states.get(name);
        if (!inner) {
          inner = newState(options.rules, carried.namespace);
          states.set(name, inner);
        }
        inner.documents++;
        inner.sampled++;
        examine(name, inner, carried.document);
      }
      continue;
    }
    examine(namespace, state, document);
  }

  const all: ScanFinding[] = [...hits.values()].map((t) => ({
    namespace: t.namespace,
    path: t.path,
    detector: t.detector,
    count: t.count,
    examples: t.examples,
    classification: t.classification,
  }));
  const order = (a: { namespace: string; path: string }, b: { namespace: string; path: string }) =>
    a.namespace.localeCompare(b.namespace) || a.path.localeCompare(b.path);
  const findings = all.filter((f) => f.classification === 'unclassified').sort(order);
  const covered = all.filter((f) => f.classification !== 'unclassified').sort(order);
  const unclassified: UnclassifiedPath[] = [...drift.values()]
    .map((d) => ({ namespace: d.namespace, path: d.path, count: d.count, types: [...d.types].sort() }))
    .sort(order);
  const namespaces: ScannedNamespace[] = [...states.entries()].map(([namespace, s]) => ({
    namespace,
    excluded: s.classifier.excluded,
    sampledDocuments: s.sampled,
    documents: s.documents,
    paths: s.paths.size,
  }));
  return {
    strict,
    rules: options.rules !== undefined,
    sample,
    namespaces,
    findings,
    covered,
    unclassified,
    passed: findings.length === 0 && unclassified.length === 0,
  };
}

function newState(rules: NormalizedRules | undefined, ns: Namespace): NamespaceState {
  return { classifier: pathClassifier(rules, ns), sampled: 0, documents: 0, paths: new Set() };
}
