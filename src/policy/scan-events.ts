import { DEFAULT_SAMPLE } from './scan-defaults.js';
import { deserialize } from 'bson';
import type { DumpEventStream } from '../core/dump-event.js';
import type { NormalizedRules } from '../config/normalized-rules.js';
import { formatNamespace } from '../core/namespace.js';
import { UsageError } from '../errors/index.js';
import { bsonTypeName, isDocument, isDouble, isInt32, isLong } from '../transform/bson-value.js';
import { displayPath, type ConcreteStep } from '../transform/path-coverage.js';
import { DETECTORS, type DetectorName } from './detectors/index.js';
import { cardDetector } from './detectors/card.js';
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
 * fail the scan. Documents past the sample are counted, never decoded. Pure: never throws on data.
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

  for await (const event of events) {
    if (event.type === 'prelude') {
      for (const entry of event.collections) {
        const name = formatNamespace(entry.namespace);
        states.set(name, {
          classifier: pathClassifier(options.rules, entry.namespace),
          sampled: 0,
          documents: 0,
          paths: new Set(),
        });
      }
      continue;
    }
    if (event.type !== 'document') continue;
    const namespace = formatNamespace(event.namespace);
    let state = states.get(namespace);
    if (!state) {
      state = {
        classifier: pathClassifier(options.rules, event.namespace),
        sampled: 0,
        documents: 0,
        paths: new Set(),
      };
      states.set(namespace, state);
    }
    state.documents++;
    if (state.classifier.excluded || (sample > 0 && state.sampled >= sample)) continue;
    state.sampled++;
    const current = state;
    walkLeaves(deserialize(event.bson, { promoteValues: false, bsonRegExp: true }), [], (steps, value) => {
      const path = displayPath(steps);
      current.paths.add(path);
      const classification = current.classifier.classify(steps);
      if (classification === 'unclassified' && strict) {
        const key = `${namespace}\0${path}`;
        const entry = drift.get(key) ?? { namespace, path, count: 0, types: new Set<string>() };
        entry.count++;
        entry.types.add(bsonTypeName(value));
        drift.set(key, entry);
      }
      for (const [detector, match] of detect(value)) {
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

/** Every leaf (scalar, or empty document/array) with its concrete steps. */
function walkLeaves(
  value: unknown,
  steps: ConcreteStep[],
  visit: (steps: readonly ConcreteStep[], value: unknown) => void,
): void {
  if (isDocument(value)) {
    const keys = Object.keys(value);
    if (keys.length === 0 && steps.length > 0) visit(steps, value);
    for (const key of keys) walkLeaves(value[key], [...steps, { key }], visit);
  } else if (Array.isArray(value)) {
    if (value.length === 0) visit(steps, value);
    value.forEach((element, index) => walkLeaves(element, [...steps, { index }], visit));
  } else {
    visit(steps, value);
  }
}

function detect(value: unknown): [DetectorName, string][] {
  if (typeof value === 'string') {
    const out: [DetectorName, string][] = [];
    for (const detector of DETECTORS)
      for (const match of detector.find(value)) out.push([detector.name, match]);
    return out;
  }
  if (isLong(value) || isInt32(value) || isDouble(value) || typeof value === 'number') {
    const text = isLong(value) ? value.toString() : String(typeof value === 'number' ? value : value.value);
    if (/^\d{13,19}$/.test(text)) return cardDetector.find(text).map((m) => ['card', m]);
  }
  return [];
}
