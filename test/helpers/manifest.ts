import { MANIFEST_FORMAT_VERSION, type SnapshotManifest } from '../../src/store/snapshot-manifest.js';

/** A valid manifest for store tests: no collections, raw data, created at `createdAt`. */
export function testManifest(
  name: string,
  id: string,
  createdAt = new Date().toISOString(),
): SnapshotManifest {
  return {
    formatVersion: MANIFEST_FORMAT_VERSION,
    id,
    name,
    createdAt,
    completedAt: createdAt,
    durationMs: 1,
    source: { uri: 'mongodb://prod:27017/', db: 'prod', serverVersion: '7.0.0' },
    toolVersion: '0.0.0',
    format: 'archive',
    gzip: false,
    codecs: [],
    dataPath: 'data.archive',
    sizeBytes: 0,
    collections: [],
    rulesDigest: null,
    anonymized: false,
    status: 'complete',
  };
}
