import type { PlanResult } from '../plan/plan-result.js';
import type { RestoreResult } from '../restore/restore-result.js';
import type { RestoreDryRun } from '../pipeline/restore-to-target.js';
import type { CommandContext } from './context.js';
import { table } from './output.js';
import { formatBytes } from './progress-view.js';

/**
 * Print a restore's result set: per-collection verification table, warnings, outcome line; with
 * `dropped` (`--replace`), the collections dropped after the swap (also in the JSON result).
 */
export function printRestoreResult(
  ctx: CommandContext,
  result: RestoreResult,
  dropped?: readonly string[],
): void {
  ctx.logger.info(
    {
      targetDb: result.targetDb,
      collections: result.collections.length,
      durationMs: result.durationMs,
      swap: result.swapStrategy,
      failed: result.error ? result.error.code : null,
    },
    result.error ? 'restore failed' : 'restore complete',
  );
  ctx.output.result({
    ...result,
    error: result.error?.toJSON(),
    ...(dropped === undefined ? {} : { dropped }),
  });
  for (const line of result.recovered) ctx.output.line(`recovered: ${line}`);
  ctx.output.line(
    table(
      ['namespace', 'target', 'status', 'expected', 'actual', 'checksum', 'indexes', 'time'],
      result.collections.map((c) => [
        c.namespace,
        c.target,
        c.status,
        c.verification?.expectedDocuments ?? '-',
        c.status === 'skipped' ? '-' : (c.verification?.actualDocuments ?? c.documents),
        c.verification
          ? `${c.verification.checksum}${c.verification.checked.length ? ` (${c.verification.checked.join('+')})` : ''}`
          : '-',
        c.status === 'skipped'
          ? '-'
          : `${c.indexesBuilt.length} built${c.indexesRejected.length ? `, ${c.indexesRejected.length} refused` : ''}`,
        c.status === 'skipped' ? '-' : `${c.durationMs} ms`,
      ]),
    ),
  );
  for (const w of result.warnings) ctx.output.line(`warning: ${w}`);
  const bytes = result.collections.reduce((sum, c) => sum + c.bytes, 0);
  if (result.error) {
    ctx.output.line(
      `restore into ${result.targetDb} FAILED after ${result.durationMs} ms; the old collections are untouched unless listed as restored`,
    );
  } else {
    ctx.output.line(
      `restored into ${result.targetDb} in ${result.durationMs} ms (${formatBytes(bytes)}, swap ${result.swapStrategy}); snapshot_metadata written`,
    );
  }
  if (dropped !== undefined) {
    ctx.output.line(
      dropped.length === 0
        ? `--replace: ${result.targetDb} held no collection the snapshot does not hold`
        : `--replace: dropped ${dropped.map((d) => `${result.targetDb}.${d}`).join(', ')} (not in the snapshot)`,
    );
  }
}

/**
 * The dry run's details under the plan: live check, per-collection table (with `replace`, also the
 * target collections `--replace` would drop), warnings.
 */
export function printRestoreDryRun(ctx: CommandContext, dry: RestoreDryRun, replace = false): void {
  const { plan } = dry;
  ctx.output.line(`dry run: restore into ${plan.targetDb}; nothing written`);
  if (dry.live)
    ctx.output.line(`live check: privileges ${dry.live.privileges} (${dry.live.privilegesDetail})`);
  const existing = new Set(dry.existing);
  ctx.output.line(
    table(
      ['source', 'action', 'target', 'indexes', 'note'],
      [
        ...plan.collections.map((c) => [
          c.source,
          c.action === 'skip' ? 'skip' : existing.has(c.target) ? 'replace' : 'create',
          `${plan.targetDb}.${c.target}`,
          c.indexes.map((i) => i.name).join(',') || '-',
          c.reason ?? (c.expected ? `${c.expected.documents} documents expected` : ''),
        ]),
        ...(replace
          ? dry.extra.map((name) => [
              '-',
              'drop',
              `${plan.targetDb}.${name}`,
              '-',
              'not in the snapshot (--replace)',
            ])
          : []),
      ],
    ),
  );
  for (const w of plan.warnings) ctx.output.line(`warning: ${w}`);
}

/** The collections a plan's `restore.drop-extra` dropped, when it ran. */
export function droppedBy(result: PlanResult): string[] | undefined {
  const op = result.operations.find((o) => o.kind === 'restore.drop-extra' && o.status === 'succeeded');
  return (op?.output as { dropped?: string[] } | undefined)?.dropped;
}

/**
 * What a restore's audit end record says: the snapshot restored, the rules digest and whether the
 * data written is anonymized (from the snapshot_metadata it wrote; nothing when it failed).
 */
export function restoredFacts(result: RestoreResult): Record<string, unknown> {
  const m = result.metadata;
  if (m === null) return {};
  return {
    ...(m.snapshotId === null ? {} : { snapshot: m.snapshotId }),
    rulesDigest: m.rulesDigest,
    anonymized: m.anonymized !== 'none',
  };
}
