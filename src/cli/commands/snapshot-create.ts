import { parseByteSize } from '../../core/byte-size.js';
import { parseDuration } from '../../core/duration.js';
import { CONSISTENCY_MODES, type ConsistencyMode } from '../../source/consistency.js';
import { EJSON } from 'bson';
import type { Command } from 'commander';
import { UsageError } from '../../errors/index.js';
import { toJsonValue } from '../../pipeline/json-value.js';
import type { SnapshotCaptureParams } from '../../pipeline/operations/snapshot-capture-operation.js';
import { checkPreviewClassification } from '../../pipeline/check-preview-classification.js';
import { previewCapture } from '../../pipeline/preview-capture.js';
import { planSnapshotCreate } from '../../pipeline/snapshot-create-plan.js';
import { normalizeStoreUrl } from '../../store/open-snapshot-store.js';
import type { SnapshotManifest } from '../../store/snapshot-manifest.js';
import {
  addAnonymizationOptions,
  resolveAnonymization,
  type AnonymizationFlags,
} from '../anonymization-options.js';
import { addConnectionOptions, plannedConnection, type PlannedConnection } from '../connection-options.js';
import type { CommandContext } from '../context.js';
import { lastFillsFrom } from '../project-options.js';
import {
  addMetricsOptions,
  addReadPreferenceOption,
  addRecipientOption,
  collect,
  parseCount,
  parseFormat,
  parseReadPreference,
  parseRecipients,
  storeOption,
  type MetricsFlags,
} from '../option-groups.js';
import { table } from '../output.js';
import { addSubsetOptions, subsetParam, type SubsetFlags } from '../subset-options.js';
import { anonymizationParam } from '../plan-anonymization.js';
import { emitPlan, planOnly, type PlanFlags } from '../plan-output.js';
import { formatBytes } from '../progress-view.js';
import { manifestFigures } from '../run-figures.js';
import { measureStore, withRunMetrics } from '../run-metrics.js';
import { runPlan, secretResolver } from '../run-plan.js';

interface CreateOptions extends AnonymizationFlags, PlanFlags, MetricsFlags, SubsetFlags {
  uri?: string;
  uriEnv?: string;
  uriFile?: string;
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
  recipient: string[];
  consistency: string;
  maxLag?: string;
  maxReadRate?: string;
  storeDb?: string;
  requireServerSide?: boolean;
}

/** `dbfork snapshot create`: capture a database into the snapshot store. */
export function define(command: Command, context: () => CommandContext): void {
  addConnectionOptions(command, 'uri', 'source connection string', 'source').requiredOption(
    '--db <db>',
    'database to capture (default: source.db of dbfork.yaml)',
  );
  lastFillsFrom(command, { kind: 'source-db' })
    .option('--name <name>', 'snapshot name (default: the database name)')
    .addOption(storeOption())
    .option(
      '--store-db <db>',
      'with a mongodb:// store: the snapshot database to refresh (the snapshot name; see docs/in-cluster.md)',
    )
    .option(
      '--require-server-side',
      'with a mongodb:// store: fail instead of streaming when $out cannot copy inside the cluster',
    )
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
    .option('--parallel <n>', 'collections captured at once', '4')
    .option(
      '--consistency <mode>',
      'point in time: snapshot (one atClusterTime), oplog (as mongodump --oplog), none, or auto (docs/consistency.md)',
      'auto',
    )
    .option('--max-lag <duration>', 'refuse a source member that lags the primary by more (e.g. 30s)')
    .option(
      '--max-read-rate <bytes/s>',
      'read at most this many bytes per second from the source (e.g. 20MB, 512KiB)',
    )
    .option('--dry-run', 'print the plan and what would be captured (with --json: the plan); write nothing')
    .option('--plan-out <file>', 'write the plan for `dbfork apply <file>`; capture nothing');
  addReadPreferenceOption(command);
  addRecipientOption(command);
  addMetricsOptions(command);
  addSubsetOptions(command);
  addAnonymizationOptions(command, 'store').action(async (options: CreateOptions) => {
    const ctx = context();
    await withRunMetrics(
      ctx,
      options,
      { command: 'snapshot_create', database: options.db },
      async (metrics) => {
        const source = plannedConnection(options, 'uri');
        // the anonymization choice is checked first: without one, nothing is read
        const anonymization = anonymizationParam(options, true);
        const subset = await subsetParam(options);
        const capture: SnapshotCaptureParams = {
          source: source.ref,
          db: options.db,
          name: options.storeDb ?? options.name ?? options.db,
          store: databaseStoreUrl(options),
          ...(options.requireServerSide ? { requireServerSide: true } : {}),
          format: parseFormat(options.format),
          gzip: Boolean(options.gzip),
          include: options.include,
          exclude: options.exclude,
          queries: EJSON.serialize(parseQueries(options.query), {
            relaxed: false,
          }) as SnapshotCaptureParams['queries'],
          readPreference: parseReadPreference(options.readPreference),
          parallelCollections: parseCount(options.parallel, '--parallel'),
          consistency: parseConsistency(options.consistency),
          ...(options.maxLag === undefined ? {} : { maxLagMs: parseDuration(options.maxLag, '--max-lag') }),
          ...(options.maxReadRate === undefined
            ? {}
            : { maxReadRate: parseByteSize(options.maxReadRate, '--max-read-rate') }),
          ...(options.recipient.length > 0 ? { recipients: parseRecipients(options.recipient) } : {}),
          ...(subset ? { subset } : {}),
          anonymization,
        };
        if (planOnly(options)) return planOnlyCapture(ctx, options, source, capture);

        const result = await runPlan(ctx, planSnapshotCreate(capture), { args: source.args, confirm: true });
        if (result.error) throw result.error;
        const manifest = result.operations[0]?.output as SnapshotManifest;
        metrics.figures(manifestFigures(manifest));
        await measureStore(ctx, metrics, capture.store, manifest.name);
        ctx.lifecycle?.note({
          snapshot: `${manifest.name}@${manifest.id}`,
          rulesDigest: manifest.rulesDigest,
          anonymized: manifest.anonymized,
        });
        ctx.logger.info(
          {
            snapshot: `${manifest.name}@${manifest.id}`,
            store: capture.store,
            collections: manifest.collections.length,
            sizeBytes: manifest.sizeBytes,
            durationMs: manifest.durationMs,
            anonymized: manifest.anonymized,
            encrypted: manifest.codecs.includes('age'),
          },
          'snapshot complete',
        );
        ctx.output.result(manifest);
        if (manifest.subset) printSubset(ctx, manifest.subset);
        ctx.output.line(
          `snapshot ${manifest.name}@${manifest.id} complete in ${manifest.durationMs} ms (${formatBytes(manifest.sizeBytes)}) at ${capture.store}`,
        );
        ctx.output.line(
          table(
            ['namespace', 'documents', 'bytes', 'crc64'],
            manifest.collections.map((c) => [c.namespace, c.documents, c.bytes, c.crc64 ?? '-']),
          ),
        );
      },
    );
  });
}

/** The store URL, checking that `--store-db` and `--require-server-side` come with a mongodb:// store. */
function databaseStoreUrl(options: CreateOptions): string {
  const store = normalizeStoreUrl(options.store);
  const isDb = /^mongodb(\+srv)?:\/\//i.test(store);
  if (!isDb && (options.storeDb !== undefined || options.requireServerSide))
    throw new UsageError(
      'CONFIG_BAD_OPTION',
      '--store-db and --require-server-side need a mongodb:// --store',
      {
        hint: "e.g. --store 'mongodb://host/?replicaSet=rs0' --store-db app_snapshot",
      },
    );
  if (isDb && options.storeDb === undefined && options.name === undefined)
    throw new UsageError('CONFIG_BAD_OPTION', 'a mongodb:// store needs --store-db <snapshot database>', {
      hint: 'the snapshot database is refreshed in generations; `latest` lives in its snapshot_metadata',
    });
  return store;
}

function parseQueries(specs: readonly string[]): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  for (const spec of specs) {
    const eq = spec.indexOf('=');
    const coll = spec.slice(0, eq);
    if (eq <= 0) throw new UsageError('CONFIG_BAD_OPTION', `--query takes <collection>=<json>, got ${spec}`);
    const text = spec.slice(eq + 1);
    const bad = (why: string): UsageError =>
      new UsageError(
        'CONFIG_BAD_OPTION',
        `--query for ${coll} is not a valid Extended JSON filter (${JSON.stringify(text.length > 120 ? `${text.slice(0, 120)}…` : text)}): ${why}`,
        {
          hint: `e.g. --query '${coll}={"createdAt":{"$gte":{"$date":"2026-01-01T00:00:00Z"}}}'`,
        },
      );
    let query: unknown;
    try {
      query = EJSON.parse(text, { relaxed: false });
      // values the parser accepts but no encoder can write back (an invalid $date) fail here
      EJSON.parse(EJSON.stringify(query, { relaxed: false }), { relaxed: false });
    } catch (error) {
      throw bad((error as Error).message);
    }
    if (typeof query !== 'object' || query === null || Array.isArray(query)) throw bad('not a JSON object');
    out[coll] = query as Record<string, unknown>;
  }
  return out;
}

/**
 * `--dry-run` / `--plan-out`: load the rules and key (bad rules fail here), preview the capture
 * (collections and estimated counts, read-only), then print or write the plan.
 */
async function planOnlyCapture(
  ctx: CommandContext,
  options: CreateOptions,
  source: PlannedConnection,
  capture: SnapshotCaptureParams,
): Promise<void> {
  const anonymization = await resolveAnonymization(options, ctx.logger);
  const uri = (await secretResolver(ctx, source.args).resolve(source.ref)).reveal();
  const rows = await previewCapture(uri, capture.db, {
    include: capture.include,
    exclude: capture.exclude,
    queries: EJSON.deserialize(capture.queries, { relaxed: false }) as Record<
      string,
      Record<string, unknown>
    >,
    readPreference: capture.readPreference,
  });
  const classify = () => {
    if (anonymization.kind === 'rules')
      checkPreviewClassification(anonymization.anonymizer, capture.db, rows);
  };
  if (!options.dryRun) classify(); // a plan the run would refuse is never saved
  const plan = planSnapshotCreate(capture, { preview: toJsonValue({ collections: rows }) });
  await emitPlan(ctx, plan, options);
  if (!options.dryRun) return;
  ctx.output.line(
    `dry run: would capture into snapshot ${capture.name} (${capture.format}${capture.gzip ? ', gzip' : ''}); nothing written`,
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
  classify();
}

function printSubset(ctx: CommandContext, subset: NonNullable<SnapshotManifest['subset']>): void {
  ctx.output.line(
    table(
      ['subset collection', 'documents', 'refused by bound'],
      subset.collections.map((c) => [c.collection, c.documents, c.refused]),
    ),
  );
  for (const d of subset.dangling)
    ctx.output.line(`${d.relation}: ${d.references} references, ${d.dangling} dangling`);
}

function parseConsistency(value: string): ConsistencyMode {
  if ((CONSISTENCY_MODES as readonly string[]).includes(value)) return value as ConsistencyMode;
  throw new UsageError(
    'CONFIG_BAD_OPTION',
    `--consistency ${value}: expected ${CONSISTENCY_MODES.join(', ')}`,
    {
      hint: 'auto (the default) picks snapshot reads or the oplog as the server allows',
    },
  );
}
