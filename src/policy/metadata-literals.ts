import type { CollectionEntry } from '../core/dump-event.js';
import { parseCollectionMetadata } from '../archive/collection-metadata.js';
import { formatNamespace } from '../core/namespace.js';
import { displayPath } from '../transform/path-coverage.js';
import { detectValue } from './detect-value.js';
import type { DetectorName } from './detectors/index.js';
import { maskExample } from './mask-example.js';
import { walkLeaves } from './walk-leaves.js';

/** A literal in a collection's metadata that a personal-data detector flags. */
export interface MetadataLiteral {
  readonly namespace: string;
  /** Where: `options.<path>` (validator, view pipeline…) or `indexes.<index name>.<path>`. */
  readonly place: string;
  readonly detector: DetectorName;
  /** The match, masked (never the value itself). */
  readonly example: string;
}

/**
 * Literals in index definitions (`partialFilterExpression`, …), collection options (`validator`)
 * and view pipelines (`options.pipeline`) that the scan's detectors flag, minus the places the rules
 * keep (`keep_metadata`: a kept place covers everything under it). Metadata travels with the data
 * into every copy, so it is checked like data.
 *
 * @param kept metadata places classified as safe
 * @throws ArchiveError `ARCHIVE_BAD_METADATA` when the entry's metadata is not Extended JSON
 */
export function flaggedMetadataLiterals(entry: CollectionEntry, kept: readonly string[]): MetadataLiteral[] {
  if (entry.metadataJson === '') return [];
  const namespace = formatNamespace(entry.namespace);
  const meta = parseCollectionMetadata(entry.metadataJson, { namespace });
  const out: MetadataLiteral[] = [];
  const check = (prefix: string, value: unknown) =>
    walkLeaves(value, [], (steps, leaf) => {
      const path = displayPath(steps);
      const place = path === '' ? prefix : `${prefix}.${path}`;
      if (kept.some((k) => place === k || place.startsWith(`${k}.`))) return;
      for (const [detector, match] of detectValue(leaf))
        out.push({ namespace, place, detector, example: maskExample(match) });
    });
  check('options', meta.options);
  for (const index of meta.indexes) check(`indexes.${String(index.name)}`, index);
  return out;
}
