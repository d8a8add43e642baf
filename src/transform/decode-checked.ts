import { deserialize } from 'bson';
import { objcheckDocument, type DocumentPlace } from '../archive/objcheck.js';
import { ArchiveError } from '../errors/index.js';

const HINT_RULE_NAMESPACE =
  'the dump is damaged or was cut short: take it again or use another copy (documents of a namespace with rules are always checked, --no-objcheck or not)';

/** The engine's decoding: BSON types kept so that values re-encode as they were (see bson-value.ts). */
const DECODE = { promoteValues: false, bsonRegExp: true } as const;

/**
 * Decode one document for rewriting, after checking its structure, so that damaged bytes in a rule's
 * namespace end as an archive error (exit 4) naming the namespace and the document's position, never
 * as an internal error.
 *
 * @throws ArchiveError `ARCHIVE_BAD_DOCUMENT`
 */
export function decodeChecked(bson: Uint8Array, place: DocumentPlace): Record<string, unknown> {
  objcheckDocument(bson, place, HINT_RULE_NAMESPACE);
  try {
    return deserialize(bson, DECODE);
  } catch (error) {
    throw new ArchiveError(
      'ARCHIVE_BAD_DOCUMENT',
      `${place.namespace}: document ${place.position} cannot be decoded: ${(error as Error).message}`,
      {
        subject: { namespace: place.namespace, document: place.position },
        hint: HINT_RULE_NAMESPACE,
        cause: error,
      },
    );
  }
}
