import { ArchiveError } from '../errors/index.js';
import type { DumpEvent } from './dump-event.js';
import { formatNamespace } from './namespace.js';

/**
 * The error for data of a namespace the prelude did not list: a stage that plans per namespace at
 * the prelude (the fail-closed gate, the anonymizer) never passes such data on unplanned.
 */
export function unlistedNamespace(event: Exclude<DumpEvent, { type: 'prelude' }>): ArchiveError {
  const name = formatNamespace(event.namespace);
  return new ArchiveError(
    'ARCHIVE_UNKNOWN_NAMESPACE',
    `${event.type} event for ${name}, which the prelude does not list`,
    {
      subject: { namespace: name },
      hint: 'the dump stream is malformed; nothing past this point was anonymized or written',
    },
  );
}
