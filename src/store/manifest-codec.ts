import { StoreError } from '../errors/index.js';
import { manifestSchema, type SnapshotManifest } from './snapshot-manifest.js';

/** The manifest as stored: pretty JSON with a final newline (people read it). */
export function serializeManifest(manifest: SnapshotManifest): string {
  return JSON.stringify(manifestSchema.parse(manifest), null, 2) + '\n';
}

/**
 * Parse a stored manifest.
 * @param label names the snapshot (`name@id`), `where` the manifest (a path or URL), in the error
 * @throws StoreError `SNAPSHOT_BAD_MANIFEST` when it is not JSON or does not match the schema
 */
export function parseManifest(text: string, label: string, where: string): SnapshotManifest {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  const parsed = manifestSchema.safeParse(json);
  if (!parsed.success) {
    throw new StoreError('SNAPSHOT_BAD_MANIFEST', `the manifest of ${label} is invalid`, {
      subject: { file: where },
      hint: 'it was written by an incompatible dbfork version or edited by hand; delete the snapshot',
    });
  }
  return parsed.data;
}
