import { resolve } from 'node:path';
import { createInterface } from 'node:readline/promises';
import type { Command } from 'commander';
import { processClock } from '../../core/clock.js';
import type { BackupRestoreParams } from '../../pipeline/operations/backup-restore-operation.js';
import { planBackupRestore } from '../../pipeline/backup/backup-restore-plan.js';
import {
  prepareDisasterRestore,
  type DisasterRestoreResult,
} from '../../pipeline/backup/disaster-restore.js';
import { formatBackupRef, parseBackupRef } from '../../pipeline/backup/resolve-backup.js';
import { createSecretResolver } from '../../plan/secret-resolver.js';
import { normalizeStoreUrl, openObjectStore } from '../../store/open-snapshot-store.js';
import { assertTargetAllowed } from '../../target/guard/assert-target-allowed.js';
import { connectionFrom, type PlannedConnection } from '../connection-options.js';
import type { CommandContext } from '../context.js';
import { collect, parseCount, storeOption } from '../option-groups.js';
import { table } from '../output.js';
import { emitPlan } from '../plan-output.js';
import { printRestoreResult } from '../restore-report.js';
import { runPlan } from '../run-plan.js';

interface BackupRestoreOptions {
  store?: string;
  snapshot: string;
  name?: string;
  targetUri?: string;
  targetUriEnv?: string;
  targetUriFile?: string;
  db?: string;
  disasterRecovery?: boolean;
  confirm: string[];
  drop?: boolean;
  identity: string;
  strictIndexes?: boolean;
  exactCount?: boolean;
  parallelCollections: string;
  insertWorkers: string;
  dryRun?: boolean;
}

/**
 * `dbfork backup restore --disaster-recovery`: the break-glass restore of an encrypted backup into
 * a protected (production) database, confirmed twice and audited in the store.
 */
export function define(command: Command, context: () => CommandContext): void {
  command
    .addOption(storeOption('backup store URL'))
    .requiredOption(
      '--snapshot <ref>',
      'backup to restore: <name>@<id>, <name>@latest, <name>@daily/YYYY-MM-DD (or latest, daily/… with --name)',
    )
    .option('--name <name>', 'backup name for --snapshot latest or daily/YYYY-MM-DD')
    .option('--target-uri <mongodb-uri>', 'target (production) connection string')
    .option('--target-uri-env <NAME>', 'or the environment variable holding it')
    .option('--target-uri-file <path>', 'or a file holding it')
    .option('--db <db>', 'target database (a whole-server backup: only this database; default every one)')
    .option('--disaster-recovery', 'break glass: restore into a protected database')
    .option(
      '--confirm <db>',
      'the target database name; typed again at the prompt, or given twice without a terminal',
      collect,
      [],
    )
    .option('--drop', "let the backup's collections replace those of a database that is not empty")
    .requiredOption('--identity <file>', 'age identity file that decrypts the backup')
    .option('--strict-indexes', 'fail when the target refuses an index (default: warn and go on)')
    .option('--exact-count', 'verify with an exact count of every collection')
    .option('--parallel-collections <n>', 'collections loading and finishing at once', '4')
    .option('--insert-workers <n>', 'insert batches in flight at once', '4')
    .option(
      '--dry-run',
      'print the plan and the disaster-recovery verdicts (with --json: the plan); write nothing',
    )
    .action(async (options: BackupRestoreOptions) => {
      const ctx = context();
      const target = connectionFrom(
        { value: options.targetUri, env: options.targetUriEnv, file: options.targetUriFile },
        '--target-uri',
      );
      const params = restoreParams(options, target);
      const uri = (await createSecretResolver({ args: target.args }).resolve(target.ref)).reveal();
      const terminal = Boolean(process.stdin.isTTY && process.stderr.isTTY) && !options.dryRun;
      const prepared = await prepareDisasterRestore(await openObjectStore(params.store), {
        backup: parseBackupRef(params.backup),
        db: params.db,
        targetUri: uri,
        disasterRecovery: params.disasterRecovery,
        confirmations: params.confirmations,
        askAtTerminal: terminal ? (db) => Promise.resolve(db) : null,
        now: processClock(),
      });
      if (options.dryRun) {
        await emitPlan(ctx, planBackupRestore(params, prepared.pairs), { dryRun: true });
        ctx.output.line(`dry run: disaster recovery from ${params.backup}; nothing written`);
        ctx.output.line(
          table(
            ['from', 'target db', 'verdict', 'reason'],
            prepared.pairs.map((p) => [
              p.from,
              p.db,
              p.verdict.allowed ? 'allowed' : `refused (${p.verdict.code})`,
              p.verdict.reason,
            ]),
          ),
        );
        for (const p of prepared.pairs) assertTargetAllowed(p.verdict, p.db);
        return;
      }
      // refusals that need no prompt come before it: a refused run asks nothing and writes nothing
      for (const p of prepared.pairs) assertTargetAllowed(p.verdict, p.db);
      const typed: Record<string, string> = {};
      if (terminal) for (const p of prepared.pairs) typed[p.db] = await askName(p.db);
      // pinned to the backup resolved now: `latest` or a daily marker moving meanwhile changes nothing
      const m = prepared.snapshot.manifest;
      const run = { ...params, backup: `${m.name}@${m.id}`, typed: terminal ? typed : null };
      const result = await runPlan(ctx, planBackupRestore(run, prepared.pairs), {
        args: target.args,
        confirm: true,
      });
      const output = result.operations[0]?.output as DisasterRestoreResult | undefined;
      if (output) report(ctx, output);
      if (result.error) throw result.error;
    });
}

function restoreParams(options: BackupRestoreOptions, target: PlannedConnection): BackupRestoreParams {
  return {
    store: normalizeStoreUrl(options.store),
    backup: formatBackupRef(parseBackupRef(options.snapshot, options.name)),
    target: target.ref,
    db: options.db ?? null,
    disasterRecovery: Boolean(options.disasterRecovery),
    confirmations: options.confirm,
    typed: null,
    drop: Boolean(options.drop),
    identityFile: resolve(options.identity),
    strictIndexes: Boolean(options.strictIndexes),
    exactCount: Boolean(options.exactCount),
    parallelCollections: parseCount(options.parallelCollections, '--parallel-collections'),
    insertWorkers: parseCount(options.insertWorkers, '--insert-workers'),
  };
}

/** The typed confirmation: the operator types the database name again. */
async function askName(db: string): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    process.stderr.write(
      `DISASTER RECOVERY: the backup's collections will replace those of database "${db}".\n`,
    );
    return (await rl.question(`type the database name to confirm: `)).trim();
  } finally {
    rl.close();
  }
}

function report(ctx: CommandContext, result: DisasterRestoreResult): void {
  ctx.logger.warn(
    {
      snapshot: result.snapshot,
      runId: result.runId,
      databases: result.databases.map((d) => d.db),
      audit: result.audit,
      failed: result.error?.code ?? null,
    },
    result.error ? 'disaster-recovery restore failed' : 'disaster-recovery restore complete',
  );
  if (ctx.json) {
    ctx.output.result({
      ...result,
      databases: result.databases.map((d) => ({
        ...d,
        result: d.result && { ...d.result, error: d.result.error?.toJSON() },
      })),
      error: result.error?.toJSON(),
    });
    return;
  }
  for (const d of result.databases) if (d.result) printRestoreResult(ctx, d.result);
  for (const s of result.skipped) ctx.output.line(`not in this restore: ${s.namespace}: ${s.reason}`);
  ctx.output.line(`audit: ${result.audit.join(', ')}`);
}
