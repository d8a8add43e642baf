import { StoreError } from '../errors/index.js';
import {
  MANIFEST_FORMAT_VERSION,
  manifestSchema,
  manifestV1Schema,
  type SnapshotManifest,
} from './snapshot-manifest.js';

/** The manifest as stored: pretty JSON with a final newline (people read it). */
export function serializeManifest(manifest: SnapshotManifest): string {
  return JSON.stringify(manifestSchema.parse(manifest), null, 2) + '\n';
}

/**
 * Parse a stored manifest of any known version, as the current one: a version 1 manifest (or one
 * without `formatVersion`) becomes version 2 with `codecs` from its `gzip` flag.
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
  const version = (json as { formatVersion?: unknown } | undefined)?.formatVersion;
  if (version === undefined || version === 1) {
    const v1 = manifestV1Schema.safeParse(json);
    if (v1.success) {
      const { formatVersion: _old, ...fields } = v1.data;
      return { ...fields, formatVersion: MANIFEST_FORMAT_VERSION, codecs: fields.gzip ? ['gzip'] : [] };
    }
  }
  const parsed = manifestSchema.safeParse(json);
  if (!parsed.success) {
    throw new StoreError('SNAPSHOT_BAD_MANIFEST', `the manifest of ${label} is invalid`, {
      subject: { file: where },
      hint:
        typeof version === 'number' && version > MANIFEST_FORMAT_VERSION
          ? `it has format version ${version}, newer than this dbfork reads (${MANIFEST_FORMAT_VERSION}): upgrade dbfork`
          : 'it was written by an incompatible dbfork version or edited by hand; delete the snapshot',
    });
  }
  return parsed.data;
}
