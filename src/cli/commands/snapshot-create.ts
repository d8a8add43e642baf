import { EJSON } from 'bson';
import type { Command } from 'commander';
import type { Document, ReadPreferenceMode } from 'mongodb';
import { UsageError } from '../../errors/index.js';
import { connectMongo } from '../../source/mongodb/connect.js';
import { planCapture } from '../../source/mongodb/plan-capture.js';
import { createSnapshot } from '../../pipeline/create-snapshot.js';
import { defaultStoreUrl, openSnapshotStore } from '../../store/open-snapshot-store.js';
import {
  addAnonymizationOptions,
  resolveAnonymization,
  requireAnonymizationChoice,
  type AnonymizationFlags,
} from '../anonymization-options.js';
import type { CommandContext } from '../context.js';
import { table } from '../output.js';
import { parseCount } from '../parse-count.js';
import { formatBytes, progressView } from '../progress-view.js';

interface CreateOptions extends AnonymizationFlags {
  uri: string;
  db: string;
  name?: string;
  store?: string;
  format: string;
  gzip?: boolean;
  include: string[];
  exclude: string[];
  query: string[];
  readPreference: string;
  parallel: string;
  dryRun?: boolean;
}

const READ_PREFERENCES = ['primary', 'primaryPreferred', 'secondary', 'secondaryPreferred', 'nearest'];
const collect = (value: string, previous: string[]): string[] => [...previous, value];

/** `dbfork snapshot create`: capture a database into the snapshot store. */
export function registerSnapshotCreate(group: Command, context: () => CommandContext): void {
  const command = group
    .command('create')
    .description('capture a database into the snapshot store (manifest written last, then latest moves)')
    .requiredOption('--uri <mongodb-uri>', 'source connection string')
    .requiredOption('--db <db>', 'database to capture')
    .option('--name <name>', 'snapshot name (default: the database name)')
    .option('--store <url>', `snapshot store URL (default ${defaultStoreUrl()})`)
    .option('--format <format>', 'archive (mongodump --archive) or directory (mongodump --out)', 'archive')
    .option('--gzip', 'gzip the archive (or each file of a directory dump)')
    .option('--include <glob>', 'namespace glob to include, repeatable (coll, db.coll, *.coll*)', collect, [])
    .option('--exclude <glob>', 'namespace glob to exclude, repeatable', collect, [])
    .option(
      '--query <coll=json>',
      'capture only matching documents of a collection (Extended JSON), repeatable',
      collect,
      [],
    )
    .option(
      '--read-preference <mode>',
      `read preference: ${READ_PREFERENCES.join(', ')}`,
      'secondaryPreferred',
    )
    .option('--parallel <n>', 'collections captured at once', '4')
    .option('--dry-run', 'show what would be captured; write nothing');
  addAnonymizationOptions(command, 'store').action(async (options: CreateOptions) => {
    const ctx = context();
    // rules and key are loaded first: bad rules or a missing key fail before anything is read
    const anonymization = requireAnonymizationChoice(await resolveAnonymization(options, ctx.logger));
    if (!['archive', 'directory'].includes(options.format)) {
      throw new UsageError(
        'CONFIG_BAD_OPTION',
        `--format must be archive or directory, got ${options.format}`,
      );
    }
    if (!READ_PREFERENCES.includes(options.readPreference)) {
      throw new UsageError(
        'CONFIG_BAD_OPTION',
        `--read-preference must be one of ${READ_PREFERENCES.join(', ')}`,
      );
    }
    const parallel = parseCount(options.parallel, '--parallel');
    const queries = parseQueries(options.query);
    if (options.dryRun) return dryRun(ctx, options, queries);

    const store = await openSnapshotStore(options.store);
    const view = progressView(ctx);
    let manifest;
    try {
      manifest = await createSnapshot({
        uri: options.uri,
        db: options.db,
        ...(options.name ? { name: options.name } : {}),
        store,
        format: options.format as 'archive' | 'directory',
        gzip: Boolean(options.gzip),
        include: options.include,
        exclude: options.exclude,
        queries,
        readPreference: options.readPreference as ReadPreferenceMode,
        parallelCollections: parallel,
        ...(anonymization.kind === 'rules' ? { transform: anonymization.anonymizer } : {}),
        onProgress: view.listener,
      });
    } finally {
      view.stop();
    }
    ctx.logger.info(
      {
        snapshot: `${manifest.name}@${manifest.id}`,
        store: store.url,
        collections: manifest.collections.length,
        sizeBytes: manifest.sizeBytes,
        durationMs: manifest.durationMs,
        anonymized: manifest.anonymized,
      },
      'snapshot complete',
    );
    ctx.output.result(manifest);
    ctx.output.line(
      `snapshot ${manifest.name}@${manifest.id} complete in ${manifest.durationMs} ms (${formatBytes(manifest.sizeBytes)}) at ${store.url}`,
    );
    ctx.output.line(
      table(
        ['namespace', 'documents', 'bytes', 'crc64'],
        manifest.collections.map((c) => [c.namespace, c.documents, c.bytes, c.crc64]),
      ),
    );
  });
}

function parseQueries(specs: readonly string[]): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  for (const spec of specs) {
    const eq = spec.indexOf('=');
    const coll = spec.slice(0, eq);
    if (eq <= 0) throw new UsageError('CONFIG_BAD_OPTION', `--query takes <collection>=<json>, got ${spec}`);
    try {
      out[coll] = EJSON.parse(spec.slice(eq + 1), { relaxed: false }) as Record<string, unknown>;
    } catch (error) {
      throw new UsageError(
        'CONFIG_BAD_OPTION',
        `--query for ${coll} is not valid Extended JSON: ${(error as Error).message}`,
        {
          hint: `e.g. --query '${coll}={"createdAt":{"$gte":{"$date":"2026-01-01T00:00:00Z"}}}'`,
        },
      );
    }
  }
  return out;
}

async function dryRun(
  ctx: CommandContext,
  options: CreateOptions,
  queries: Record<string, unknown>,
): Promise<void> {
  const client = await connectMongo(options.uri, {
    role: 'source',
    readPreference: options.readPreference as ReadPreferenceMode,
  });
  try {
    const rows = await planCapture(client, options.db, {
      include: options.include,
      exclude: options.exclude,
      queries: queries as Record<string, Document>,
    });
    ctx.output.result({ dryRun: true, name: options.name ?? options.db, collections: rows });
    ctx.output.line(
      `dry run: would capture into snapshot ${options.name ?? options.db} (${options.format}${options.gzip ? ', gzip' : ''}); nothing written`,
    );
    ctx.output.line(
      table(
        ['namespace', 'type', 'action', 'documents (est.)', 'query'],
        rows.map((r) => [
          r.namespace,
          r.type,
          r.action,
          r.estimatedDocuments ?? '-',
          r.query ? EJSON.stringify(r.query) : '-',
        ]),
      ),
    );
  } finally {
    await client.close();
  }
}
