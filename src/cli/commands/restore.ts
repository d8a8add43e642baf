import type { Command } from 'commander';
import { parseDuration } from '../../core/duration.js';
import {
  dumpRestoreInput,
  snapshotRestoreInput,
  type RestoreAnonymization,
  type RestoreInput,
} from '../../pipeline/restore-input.js';
import { waitForSnapshot } from '../../pipeline/wait-for-snapshot.js';
import { defaultStoreUrl, openSnapshotStore } from '../../store/open-snapshot-store.js';
import { parseSnapshotRef } from '../../store/snapshot-ref.js';
import {
  addAnonymizationOptions,
  resolveAnonymization,
  type AnonymizationFlags,
} from '../anonymization-options.js';
import { UsageError } from '../../errors/index.js';
import { assertTargetAllowed } from '../../target/guard/assert-target-allowed.js';
import {
  planRestoreDryRun,
  restoreToTarget,
  type RestoreToTargetOptions,
} from '../../restore/restore-to-target.js';
import type { RestoreDryRun } from '../../restore/restore-to-target.js';
import type { RestoreResult } from '../../restore/restore-result.js';
import type { CommandContext } from '../context.js';
import { table } from '../output.js';
import { addGuardOptions, guardConfigFrom, type GuardFlags } from '../guard-options.js';
import { printRestoreResult } from '../restore-report.js';
import { parseCount } from '../parse-count.js';
import { progressView } from '../progress-view.js';

interface RestoreCliOptions extends AnonymizationFlags, GuardFlags {
  in?: string;
  snapshot?: string;
  store?: string;
  wait?: string;
  waitInterval: string;
  to: string;
  db: string;
  nsFrom: string[];
  nsTo: string[];
  collections?: string;
  strictIndexes?: boolean;
  exactCount?: boolean;
  dryRun?: boolean;
  parallelCollections: string;
  insertWorkers: string;
}

const collect = (value: string, previous: string[]): string[] => [...previous, value];

/** `dbfork restore`: restore a dump into a target db behind the target guard, with a safe swap. */
export function registerRestore(program: Command, context: () => CommandContext): void {
  const command = program
    .command('restore')
    .description(
      'restore a snapshot or dump into a target database: guarded, loaded aside, verified, then swapped in',
    )
    .option('--snapshot <ref>', 'snapshot to restore: <name>, <name>@latest or <name>@<id>')
    .option('--store <url>', `snapshot store URL (default ${defaultStoreUrl()})`)
    .option('--wait <duration>', 'wait this long for the snapshot to appear (e.g. 6m)', '0s')
    .option('--wait-interval <duration>', 'pause between looks while waiting', '30s')
    .option(
      '--in <archive|dir|->',
      'or a dump to restore: archive file (gzip detected), dump folder, or - for an archive on stdin',
    )
    .requiredOption('--to <mongodb-uri>', 'target connection string')
    .requiredOption('--db <target-db>', 'target database')
    .option(
      '--ns-from <pattern>',
      'rename: source namespace pattern with $var$ wildcards (repeatable, paired with --ns-to)',
      collect,
      [],
    )
    .option('--ns-to <pattern>', 'rename: target namespace pattern (repeatable)', collect, [])
    .option('--collections <a,b>', 'restore only these source collections (comma-separated)')
    .option('--strict-indexes', 'fail when the target refuses an index (default: warn and go on)')
    .option('--exact-count', 'verify with an exact count of every collection (slower on some servers)')
    .option('--dry-run', 'show the plan and the guard verdict; write nothing')
    .option('--parallel-collections <n>', 'collections loading and finishing at once', '4')
    .option('--insert-workers <n>', 'insert batches in flight at once', '4');
  addGuardOptions(command);
  addAnonymizationOptions(command, 'restore').action(async (options: RestoreCliOptions) => {
    const ctx = context();
    const request = toRequest(options, await restoreInput(ctx, options));
    if (options.dryRun) return dryRun(ctx, request);
    const view = progressView(ctx);
    let result: RestoreResult;
    try {
      result = await restoreToTarget({ ...request, onProgress: view.listener });
    } finally {
      view.stop();
    }
    printRestoreResult(ctx, result);
    if (result.error) throw result.error;
  });
}

/**
 * The input: a snapshot from the store (waiting for it if asked) or a dump. Rules and key are loaded
 * here, before anything is read from the input or written to the target.
 */
async function restoreInput(ctx: CommandContext, options: RestoreCliOptions): Promise<RestoreInput> {
  if ((options.in === undefined) === (options.snapshot === undefined)) {
    throw new UsageError('CONFIG_BAD_OPTION', 'restore needs exactly one of --snapshot and --in', {
      hint: 'e.g. --snapshot prod@latest, or --in dump.archive',
    });
  }
  const anonymization = await resolveAnonymization(options, ctx.logger);
  const request: RestoreAnonymization =
    anonymization.kind === 'rules'
      ? { rules: anonymization.anonymizer }
      : anonymization.kind === 'none'
        ? { none: true }
        : null;
  if (options.in !== undefined) return dumpRestoreInput(options.in, request);
  const ref = parseSnapshotRef(options.snapshot ?? '');
  const snapshot = await waitForSnapshot(await openSnapshotStore(options.store), ref, {
    waitMs: parseDuration(options.wait ?? '0s', '--wait'),
    intervalMs: parseDuration(options.waitInterval, '--wait-interval'),
    onWait: (waitedMs) =>
      ctx.logger.warn({ snapshot: options.snapshot, waitedMs }, 'snapshot not there yet; waiting'),
  });
  return snapshotRestoreInput(snapshot, request);
}

function toRequest(options: RestoreCliOptions, input: RestoreInput): RestoreToTargetOptions {
  const guardConfig = guardConfigFrom(options, input.source);
  return {
    uri: options.to,
    targetDb: options.db,
    guardConfig,
    events: input.events,
    ...(input.expected ? { expected: input.expected } : {}),
    ...(input.transform ? { transform: input.transform } : {}),
    nsFrom: options.nsFrom,
    nsTo: options.nsTo,
    collections: (options.collections ?? '')
      .split(',')
      .map((c) => c.trim())
      .filter((c) => c !== ''),
    strictIndexes: Boolean(options.strictIndexes),
    exactCount: Boolean(options.exactCount),
    parallelCollections: parseCount(options.parallelCollections, '--parallel-collections'),
    insertWorkers: parseCount(options.insertWorkers, '--insert-workers'),
    provenance: input.provenance,
  };
}

async function dryRun(ctx: CommandContext, request: RestoreToTargetOptions): Promise<void> {
  const dry: RestoreDryRun = await planRestoreDryRun({ ...request, events: request.events });
  const { plan } = dry;
  ctx.output.result({ dryRun: true, ...dry });
  ctx.output.line(`dry run: restore into ${plan.targetDb}; nothing written`);
  ctx.output.line(
    `guard: ${plan.guard.allowed ? 'allowed' : 'REFUSED'} (rule ${plan.guard.rule}): ${plan.guard.reason}`,
  );
  if (dry.live)
    ctx.output.line(`live check: privileges ${dry.live.privileges} (${dry.live.privilegesDetail})`);
  const existing = new Set(dry.existing);
  ctx.output.line(
    table(
      ['source', 'action', 'target', 'indexes', 'note'],
      plan.collections.map((c) => [
        c.source,
        c.action === 'skip' ? 'skip' : existing.has(c.target) ? 'replace' : 'create',
        `${plan.targetDb}.${c.target}`,
        c.indexes.map((i) => i.name).join(',') || '-',
        c.reason ?? (c.expected ? `${c.expected.documents} documents expected` : ''),
      ]),
    ),
  );
  for (const w of plan.warnings) ctx.output.line(`warning: ${w}`);
  assertTargetAllowed(plan.guard, plan.targetDb);
}
