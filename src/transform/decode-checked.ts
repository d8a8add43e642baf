import { deserialize } from 'bson';
import { objcheckDocument, type DocumentPlace } from '../archive/objcheck.js';
import { ArchiveError } from '../errors/index.js';
import { int32, keyText, valueEnd } from './bson-elements.js';

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
  return decode(bson, place);
}

/**
 * The top-level field names a namespace's rules can read or change, with their UTF-8 byte lengths
 * (elements whose name has another length are skipped without building the name).
 */
export class FieldSelection {
  readonly names: ReadonlySet<string>;
  readonly #lengths: ReadonlySet<number>;

  constructor(names: Iterable<string>) {
    this.names = new Set(names);
    this.#lengths = new Set([...this.names].map((n) => Buffer.byteLength(n, 'utf8')));
  }

  /** Whether the element name in `raw[from, to)` is selected. */
  has(raw: Uint8Array, from: number, to: number): boolean {
    if (!this.#lengths.has(to - from)) return false;
    let ascii = true;
    for (let j = from; j < to; j++) if ((raw[j] ?? 0) >= 0x80) ascii = false;
    return this.names.has(keyText(raw, from, to, ascii));
  }
}

/**
 * Like {@link decodeChecked} (the whole document's structure is checked), but decode only the
 * top-level fields `fields` selects: their elements, bytes as they are and in their order, form a
 * smaller document that is decoded. Rules that only reach those fields see the same values as in
 * the whole decoding, at a cost that does not grow with the fields they do not reach.
 *
 * @returns the selected fields decoded (an empty object when the document has none of them)
 * @throws ArchiveError `ARCHIVE_BAD_DOCUMENT`
 */
export function decodeCheckedFields(
  bson: Uint8Array,
  fields: FieldSelection,
  place: DocumentPlace,
): Record<string, unknown> {
  objcheckDocument(bson, place, HINT_RULE_NAMESPACE);
  const end = int32(bson, 0) - 1;
  const ranges: number[] = [];
  let bytes = 0;
  for (let i = 4; i < end;) {
    let keyEnd = i + 1;
    while (bson[keyEnd] !== 0) keyEnd++;
    const next = valueEnd(bson, bson[i] ?? 0, keyEnd + 1);
    if (fields.has(bson, i + 1, keyEnd)) {
      ranges.push(i, next);
      bytes += next - i;
    }
    i = next;
  }
  if (bytes === end - 4) return decode(bson, place);
  const selected = Buffer.allocUnsafe(bytes + 5);
  selected.writeInt32LE(bytes + 5, 0);
  let at = 4;
  for (let r = 0; r < ranges.length; r += 2) {
    selected.set(bson.subarray(ranges[r], ranges[r + 1]), at);
    at += (ranges[r + 1] ?? 0) - (ranges[r] ?? 0);
  }
  selected[at] = 0;
  return decode(selected, place);
}

function decode(bson: Uint8Array, place: DocumentPlace): Record<string, unknown> {
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
