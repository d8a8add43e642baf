import type { DumpEvent, DumpEventStream } from '../core/dump-event.js';
import type { ProgressListener } from '../core/progress.js';
import { UsageError } from '../errors/index.js';
import { referenceKey } from '../mongodb/reference-key.js';
import type { ExpectedManifest } from '../restore/expected-manifest.js';
import type { ClosureMemory } from '../subset/closure-memory.js';
import { computeClosure } from '../subset/compute-closure.js';
import { DEFAULT_SPILL_AFTER, spillingClosureMemory } from '../subset/spilling-closure-memory.js';
import { openSqliteClosureMemory } from '../subset/sqlite-closure-memory.js';
import { documentId, indexDumpForSubset } from './dump-subset-reader.js';
import {
  relatedCollections,
  summarizeSubset,
  type SubsetRequest,
  type SubsetSummary,
} from './subset-capture.js';

/** A subset chosen inside a dump: how to filter a second pass over it, and what the restore should find. */
export interface DumpSubset {
  /** Keeps the selected documents of the related collections, and the others whole or not at all. */
  filter(events: DumpEventStream): DumpEventStream;
  /** The input's expectation with the subset's counts (and no checksums) for the related collections. */
  readonly expected: ExpectedManifest | undefined;
  readonly summary: SubsetSummary;
  readonly spilled: boolean;
  release(): void;
}

/**
 * Select a referentially complete subset inside a dump (a snapshot or a dump file) for a restore: a
 * first pass over `firstPass` indexes the related collections on disk, the closure runs on that index
 * exactly as it runs on a live source, and the returned filter keeps, in the second pass that the
 * restore reads, only the selected documents. Nothing is written to any target here.
 *
 * @param db the dump's database; undefined: the one database its prelude lists
 * @throws UsageError `CONFIG_BAD_OPTION` when the dump holds several databases and none is named;
 *   ArchiveError from the stream
 */
export async function selectDumpSubset(
  firstPass: DumpEventStream,
  db: string | undefined,
  request: SubsetRequest,
  expected: ExpectedManifest | undefined,
  onProgress: ProgressListener,
): Promise<DumpSubset> {
  onProgress({ type: 'phase', phase: 'subset', detail: 'indexing the dump for the closure' });
  const events = withDatabase(firstPass, db);
  const reader = await indexDumpForSubset(events.stream, () => events.db(), request);
  const memory = spillingClosureMemory(request.spillAfter ?? DEFAULT_SPILL_AFTER, () =>
    openSqliteClosureMemory(),
  );
  try {
    const chosen = await computeClosure(request, reader, memory);
    const source = events.db();
    const related = relatedCollections(request);
    onProgress({
      type: 'phase',
      phase: 'subset',
      detail: `${chosen.collections.reduce((n, c) => n + c.documents, 0)} documents in ${chosen.rounds} rounds${memory.spilled ? ', kept in an on-disk index (beyond the memory threshold)' : ''}`,
    });
    return {
      filter: (stream) => keepSubset(stream, source, related, request.others, memory),
      expected: expected && {
        collections: expected.collections.flatMap((c) => {
          const [cdb, ...rest] = c.namespace.split('.');
          const collection = rest.join('.');
          if (cdb !== source) return [c];
          if (related.has(collection))
            return [{ namespace: c.namespace, documents: memory.selectedCount(collection) }];
          return request.others === 'whole' ? [c] : [];
        }),
      },
      summary: summarizeSubset(request, chosen),
      spilled: memory.spilled,
      release: () => memory.close(),
    };
  } catch (error) {
    memory.close();
    throw error;
  } finally {
    reader.close();
  }
}

/** The stream, and the database its prelude names (or `db`), known once the prelude has passed. */
function withDatabase(stream: DumpEventStream, db: string | undefined) {
  let found = db;
  return {
    db: () => found ?? '',
    stream: (async function* (): AsyncGenerator<DumpEvent> {
      for await (const event of stream) {
        if (event.type === 'prelude' && found === undefined) {
          const dbs = [...new Set(event.collections.map((c) => c.namespace.db))];
          if (dbs.length > 1)
            throw new UsageError(
              'CONFIG_BAD_OPTION',
              `--subset: the dump holds ${dbs.length} databases (${dbs.join(', ')})`,
              {
                hint: 'restore a dump of one database, or a snapshot of one',
              },
            );
          found = dbs[0] ?? '';
        }
        yield event;
      }
    })(),
  };
}

async function* keepSubset(
  events: DumpEventStream,
  db: string,
  related: ReadonlySet<string>,
  others: SubsetRequest['others'],
  memory: ClosureMemory,
): AsyncGenerator<DumpEvent> {
  const ours = (e: { namespace: { db: string } }) => e.namespace.db === db;
  for await (const event of events) {
    if (event.type === 'prelude') {
      yield others === 'whole'
        ? event
        : {
            ...event,
            collections: event.collections.filter((c) => !ours(c) || related.has(c.namespace.collection)),
          };
      continue;
    }
    const collection = event.namespace.collection;
    if (!ours(event) || !related.has(collection)) {
      if (!ours(event) || others === 'whole') yield event;
      continue;
    }
    if (event.type === 'end') {
      // the archive's CRC covers every document of the namespace, not the subset kept
      yield { type: 'end', namespace: event.namespace };
      continue;
    }
    if (memory.isSelected(collection, referenceKey(documentId(event.bson)))) yield event;
  }
}
