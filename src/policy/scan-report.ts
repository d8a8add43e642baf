import type { DetectorName } from './detectors/index.js';

/** How the rules classify a sampled path. */
export type PathClassification = 'transformed' | 'kept' | 'unclassified';

/** Values at one path of one namespace that a detector matched. */
export interface ScanFinding {
  readonly namespace: string;
  /** Dot path without array positions: `Contacts.Email`. */
  readonly path: string;
  readonly detector: DetectorName;
  /** Matching values among the sampled documents. */
  readonly count: number;
  /** Up to 3 masked examples (see mask-example.ts): never the raw value. */
  readonly examples: readonly string[];
  readonly classification: PathClassification;
}

/** A sampled path the rules neither transform nor keep (reported with `--strict`). */
export interface UnclassifiedPath {
  readonly namespace: string;
  readonly path: string;
  /** Values seen at the path among the sampled documents. */
  readonly count: number;
  /** BSON types seen (`string`, `int`, `objectId`, …). */
  readonly types: readonly string[];
}

export interface ScannedNamespace {
  readonly namespace: string;
  /** Skipped because the rules exclude it (it is never copied). */
  readonly excluded: boolean;
  /** Documents decoded and examined. */
  readonly sampledDocuments: number;
  /** Documents seen in the input (≥ sampled). */
  readonly documents: number;
  /** Distinct paths seen in the sample. */
  readonly paths: number;
}

/** The result of `dbfork scan`: it passes when there are no findings (and, with strict, no unclassified paths). */
export interface ScanReport {
  readonly strict: boolean;
  readonly rules: boolean;
  /** Documents sampled per namespace (0 = all). */
  readonly sample: number;
  readonly namespaces: readonly ScannedNamespace[];
  /** Personal data in paths the rules do not transform or keep (all paths without rules). */
  readonly findings: readonly ScanFinding[];
  /** Detector matches in transformed or kept paths: not findings, listed for review. */
  readonly covered: readonly ScanFinding[];
  /** With strict: paths neither transformed nor kept (the schema-drift gate). */
  readonly unclassified: readonly UnclassifiedPath[];
  readonly passed: boolean;
}
