import { checkBsonStructure } from './bson-structure.js';
import { archiveFailure, HINT_DAMAGED, type ArchiveFailureSubject } from './archive-failure.js';

/** Where a document sits, for the error: its namespace, file, byte offset and 1-based position. */
export interface DocumentPlace {
  readonly namespace: string;
  readonly file?: string;
  /** Byte offset of the document's first byte in the uncompressed stream or file. */
  readonly offset?: number;
  /** The document's position in its namespace (1-based). */
  readonly position: number;
}

/** The hint for a document that is not valid BSON. */
export const HINT_BAD_DOCUMENT = `${HINT_DAMAGED}; --no-objcheck skips this check (documents of namespaces without rules are then passed on unparsed)`;

/**
 * Check one document's structure ({@link checkBsonStructure}) before it goes further.
 * @param hint the error's hint (default: retake the dump, or `--no-objcheck`)
 *
 * @throws ArchiveError `ARCHIVE_BAD_DOCUMENT` naming the namespace, file, offset of the fault
 *   (document offset + offset inside it), the document's position and the field path; never a value
 */
export function objcheckDocument(
  bytes: Uint8Array,
  place: DocumentPlace,
  hint: string = HINT_BAD_DOCUMENT,
): void {
  const fault = checkBsonStructure(bytes);
  if (!fault) return;
  const subject: ArchiveFailureSubject & { document: number; fieldPath?: string } = {
    namespace: place.namespace,
    ...(place.file === undefined ? {} : { file: place.file }),
    ...(place.offset === undefined ? {} : { offset: place.offset + fault.at }),
    document: place.position,
    ...(fault.path ? { fieldPath: fault.path } : {}),
  };
  const where = place.offset === undefined ? '' : ` at offset ${place.offset + fault.at}`;
  throw archiveFailure(
    'ARCHIVE_BAD_DOCUMENT',
    `${place.namespace}: document ${place.position}${where} is not valid BSON: ${fault.reason}${fault.path ? ` (field ${fault.path})` : ''}`,
    subject,
    hint,
  );
}
