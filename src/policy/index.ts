/** Leak scan: personal-data detectors, rule coverage and the strict schema-drift gate. */
export { scanEvents, DEFAULT_SAMPLE, type ScanOptions } from './scan-events.js';
export type {
  ScanReport,
  ScanFinding,
  UnclassifiedPath,
  ScannedNamespace,
  PathClassification,
} from './scan-report.js';
export { DETECTORS, luhnValid, ibanValid, type Detector, type DetectorName } from './detectors/index.js';
export { maskExample } from './mask-example.js';
export { pathClassifier, type PathClassifier } from './path-classifier.js';
