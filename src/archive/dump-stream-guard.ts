import { formatNamespace } from '../core/namespace.js';
import { MAX_BSON_SIZE, MIN_BSON_SIZE } from './archive-constants.js';
import { archiveFailure } from './archive-failure.js';
import { dataNamespaceOf } from './data-namespace.js';
import type { DumpDocumentRun, DumpPrelude, DumpRunEvent } from '../core/dump-event.js';
import { NamespaceTally } from './namespace-tally.js';

const HINT_PRODUCER =
  'the event stream given to the writer breaks the DumpEvent order rules (src/core/dump-event.ts); this is a bug in its producer';

/**
 * Checks that an event stream follows the `DumpEvent` contract before a writer turns it into
 * bytes, and keeps one {@link NamespaceTally} per namespace: prelude first and once; documents and
 * ends only for prelude namespaces, never after their end; one end each; every namespace ended; each
 * document's bytes are a plausible BSON document (length prefix = byte length, 5..16 MiB, trailing 0x00).
 * A run of documents (`documents`) is checked document by document the same way, and its count.
 */
export class DumpStreamGuard {
  #prelude: DumpPrelude | undefined;
  readonly #tallies = new Map<string, NamespaceTally>();
  readonly #ended = new Set<string>();

  get prelude(): DumpPrelude | undefined {
    return this.#prelude;
  }

  /** Tallies in prelude order. */
  get tallies(): NamespaceTally[] {
    return [...this.#tallies.values()];
  }

  /**
   * Check one event. Returns the namespace's tally for `document`/`documents`/`end` (the documents
   * are not added).
   * @throws ArchiveError `ARCHIVE_BAD_EVENT_ORDER`, `ARCHIVE_UNKNOWN_NAMESPACE`,
   *   `ARCHIVE_NAMESPACE_REOPENED`, `ARCHIVE_BAD_LENGTH`, `ARCHIVE_BAD_DOCUMENT`, `ARCHIVE_BAD_HEADER`
   */
  accept(event: DumpRunEvent): NamespaceTally | undefined {
    if (event.type === 'prelude') {
      if (this.#prelude)
        throw archiveFailure('ARCHIVE_BAD_EVENT_ORDER', 'a second prelude event', {}, HINT_PRODUCER);
      for (const entry of event.collections) {
        const data = dataNamespaceOf(entry);
        const name = formatNamespace(data);
        if (entry.namespace.collection === '')
          throw archiveFailure(
            'ARCHIVE_BAD_HEADER',
            'a prelude entry has an empty collection name',
            { namespace: name },
            HINT_PRODUCER,
          );
        if (this.#tallies.has(name))
          throw archiveFailure(
            'ARCHIVE_BAD_HEADER',
            `the prelude lists ${name} twice`,
            { namespace: name },
            HINT_PRODUCER,
          );
        this.#tallies.set(name, new NamespaceTally(entry, data));
      }
      this.#prelude = event;
      return undefined;
    }
    const name = formatNamespace(event.namespace);
    if (!this.#prelude)
      throw archiveFailure(
        'ARCHIVE_BAD_EVENT_ORDER',
        `a ${event.type} event before the prelude`,
        { namespace: name },
        HINT_PRODUCER,
      );
    const tally = this.#tallies.get(name);
    if (!tally)
      throw archiveFailure(
        'ARCHIVE_UNKNOWN_NAMESPACE',
        `a ${event.type} event for ${name}, which the prelude does not list`,
        { namespace: name },
        HINT_PRODUCER,
      );
    if (this.#ended.has(name))
      throw archiveFailure(
        'ARCHIVE_NAMESPACE_REOPENED',
        `a ${event.type} event for ${name} after its end`,
        { namespace: name },
        HINT_PRODUCER,
      );
    if (event.type === 'end') {
      this.#ended.add(name);
      return tally;
    }
    if (event.type === 'documents') {
      checkRun(event, name, tally.documents);
      return tally;
    }
    checkDocument(event.bson, 0, event.bson.length, name, tally.documents);
    return tally;
  }

  /**
   * Check the end of the stream: a prelude was seen and every namespace ended.
   * @throws ArchiveError `ARCHIVE_BAD_EVENT_ORDER`, `ARCHIVE_NOT_CLOSED`
   */
  finish(): DumpPrelude {
    if (!this.#prelude)
      throw archiveFailure('ARCHIVE_BAD_EVENT_ORDER', 'the event stream has no prelude', {}, HINT_PRODUCER);
    const open = [...this.#tallies.keys()].filter((n) => !this.#ended.has(n));
    if (open.length > 0)
      throw archiveFailure(
        'ARCHIVE_NOT_CLOSED',
        `the event stream ended without an end event for ${open.join(', ')}`,
        { namespace: open[0] },
        HINT_PRODUCER,
      );
    return this.#prelude;
  }
}

/** Check one document lying at `at..end` of `bytes` (see {@link DumpStreamGuard}). */
function checkDocument(bytes: Uint8Array, at: number, end: number, name: string, document: number): void {
  const length = end - at;
  const declared =
    length >= 4
      ? (bytes[at] as number) |
        ((bytes[at + 1] as number) << 8) |
        ((bytes[at + 2] as number) << 16) |
        ((bytes[at + 3] as number) << 24)
      : -1;
  if (declared !== length || length < MIN_BSON_SIZE || length > MAX_BSON_SIZE)
    throw archiveFailure(
      'ARCHIVE_BAD_LENGTH',
      `a document of ${name} has ${length} bytes but declares ${declared} (must match, ${MIN_BSON_SIZE}..${MAX_BSON_SIZE})`,
      { namespace: name, document },
      HINT_PRODUCER,
    );
  if (bytes[end - 1] !== 0)
    throw archiveFailure(
      'ARCHIVE_BAD_DOCUMENT',
      `a document of ${name} does not end with 0x00`,
      { namespace: name, document },
      HINT_PRODUCER,
    );
}

/** Check a run: `count` documents back to back, filling `bson` exactly. */
function checkRun(run: DumpDocumentRun, name: string, before: number): void {
  const bytes = run.bson;
  let at = 0;
  for (let i = 0; i < run.count; i++) {
    const declared =
      at + 4 <= bytes.length
        ? (bytes[at] as number) |
          ((bytes[at + 1] as number) << 8) |
          ((bytes[at + 2] as number) << 16) |
          ((bytes[at + 3] as number) << 24)
        : -1;
    // a length running past the run is reported as the bytes that are there
    const end = declared >= MIN_BSON_SIZE && at + declared <= bytes.length ? at + declared : bytes.length;
    checkDocument(bytes, at, end, name, before + i);
    at = end;
  }
  if (at !== bytes.length || !Number.isInteger(run.count) || run.count < 1)
    throw archiveFailure(
      'ARCHIVE_BAD_LENGTH',
      `a run of ${run.count} documents of ${name} has ${bytes.length} bytes but its documents take ${at}`,
      { namespace: name, document: before },
      HINT_PRODUCER,
    );
}
