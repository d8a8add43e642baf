import { formatNamespace } from '../core/namespace.js';
import { MAX_BSON_SIZE, MIN_BSON_SIZE } from './archive-constants.js';
import { archiveFailure } from './archive-failure.js';
import { dataNamespaceOf } from './data-namespace.js';
import type { DumpEvent, DumpPrelude } from '../core/dump-event.js';
import { NamespaceTally } from './namespace-tally.js';

const HINT_PRODUCER =
  'the event stream given to the writer breaks the DumpEvent order rules (src/core/dump-event.ts); this is a bug in its producer';

/**
 * Checks that an event stream follows the {@link DumpEvent} contract before a writer turns it into
 * bytes, and keeps one {@link NamespaceTally} per namespace: prelude first and once; documents and
 * ends only for prelude namespaces, never after their end; one end each; every namespace ended; each
 * document's bytes are a plausible BSON document (length prefix = byte length, 5..16 MiB, trailing 0x00).
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
   * Check one event. Returns the namespace's tally for `document`/`end` (the document is not added).
   * @throws ArchiveError `ARCHIVE_BAD_EVENT_ORDER`, `ARCHIVE_UNKNOWN_NAMESPACE`,
   *   `ARCHIVE_NAMESPACE_REOPENED`, `ARCHIVE_BAD_LENGTH`, `ARCHIVE_BAD_DOCUMENT`, `ARCHIVE_BAD_HEADER`
   */
  accept(event: DumpEvent): NamespaceTally | undefined {
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
    const bson = event.bson;
    const declared =
      bson.length >= 4
        ? (bson[0] as number) |
          ((bson[1] as number) << 8) |
          ((bson[2] as number) << 16) |
          ((bson[3] as number) << 24)
        : -1;
    if (declared !== bson.length || bson.length < MIN_BSON_SIZE || bson.length > MAX_BSON_SIZE)
      throw archiveFailure(
        'ARCHIVE_BAD_LENGTH',
        `a document of ${name} has ${bson.length} bytes but declares ${declared} (must match, ${MIN_BSON_SIZE}..${MAX_BSON_SIZE})`,
        { namespace: name, document: tally.documents },
        HINT_PRODUCER,
      );
    if (bson[bson.length - 1] !== 0)
      throw archiveFailure(
        'ARCHIVE_BAD_DOCUMENT',
        `a document of ${name} does not end with 0x00`,
        { namespace: name, document: tally.documents },
        HINT_PRODUCER,
      );
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
