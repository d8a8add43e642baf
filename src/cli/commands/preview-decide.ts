import type { Command } from 'commander';
import { UsageError } from '../../errors/index.js';
import { readPreviewState } from '../../pipeline/preview/read-preview-state.js';
import { withPreviewDatabases } from '../../pipeline/preview/with-preview-databases.js';
import { createSecretResolver } from '../../plan/secret-resolver.js';
import { previewDatabaseName } from '../../preview/database-name.js';
import { decide } from '../../preview/decide.js';
import type { PreviewDatabaseState } from '../../preview/preview-input.js';
import type { PreviewSource } from '../../preview/preview-settings.js';
import { readPullRequestEvent } from '../../preview/pull-request-event.js';
import { addConnectionOptions, connectionFrom } from '../connection-options.js';
import type { CommandContext } from '../context.js';
import { parseCount } from '../option-groups.js';
import {
  addPreviewSettingsOptions,
  previewSettingsFrom,
  readEventFile,
  type PreviewSettingsFlags,
} from '../preview-options.js';
import { printDecision } from '../preview-report.js';

interface DecideOptions extends PreviewSettingsFlags {
  event: string;
  eventId?: string;
  targetUri?: string;
  targetUriEnv?: string;
  targetUriFile?: string;
  databaseExists?: boolean;
  databaseLocked?: boolean;
  databaseSource?: string;
  snapshotTakenAt?: string;
  prDatabases?: string;
}

/**
 * `dbfork preview decide`: the decision for a pull_request event (pure), on the database state read
 * from the target (read-only) or given by flags. `--json` prints `{database, source, locked, actions}`.
 */
export function define(command: Command, context: () => CommandContext): void {
  command.requiredOption('--event <file>', 'the pull_request webhook payload ($GITHUB_EVENT_PATH)');
  command.option('--event-id <id>', 'the event id for comment markers (default: from the payload)');
  addConnectionOptions(
    command,
    'target-uri',
    'read the PR database state from this server (read-only)',
    'target',
  )
    .option('--database-exists', 'without --target-uri: the PR database exists')
    .option('--database-locked', 'without --target-uri: the PR database holds a lock record')
    .option('--database-source <seed|snapshot|staging>', 'without --target-uri: how the PR database was made')
    .option('--snapshot-taken-at <iso>', 'when the snapshot a restore would use was taken (for comments)')
    .option('--pr-databases <n>', 'without --target-uri: PR databases on the server now (for the quota)');
  addPreviewSettingsOptions(command).action(async (options: DecideOptions) => {
    const ctx = context();
    const settings = previewSettingsFrom(options, ctx.config);
    const { event, pullRequest } = readPullRequestEvent(await readEventFile(options.event), options.eventId);
    const db = previewDatabaseName(settings, pullRequest.number);
    const live = await liveState(options, settings, db);
    const decision = decide({
      event,
      pullRequest,
      settings,
      database: live?.database ?? flagState(options),
      ...(options.snapshotTakenAt ? { snapshotTakenAt: options.snapshotTakenAt } : {}),
      ...(live
        ? { prDatabaseCount: live.prDatabaseCount }
        : options.prDatabases !== undefined
          ? { prDatabaseCount: parseCount(options.prDatabases, '--pr-databases', 0) }
          : {}),
    });
    if (ctx.json) ctx.output.document(decision);
    else printDecision(ctx, decision);
  });
}

async function liveState(
  options: DecideOptions,
  settings: ReturnType<typeof previewSettingsFrom>,
  db: string,
) {
  const flags = { value: options.targetUri, env: options.targetUriEnv, file: options.targetUriFile };
  if (flags.value === undefined && flags.env === undefined && flags.file === undefined) return null;
  const target = connectionFrom(flags, '--target-uri');
  const uri = (await createSecretResolver({ args: target.args }).resolve(target.ref)).reveal();
  return withPreviewDatabases(uri, (dbs) => readPreviewState(dbs, settings, db));
}

function flagState(options: DecideOptions): PreviewDatabaseState {
  const source = options.databaseSource;
  if (source !== undefined && !['seed', 'snapshot', 'staging'].includes(source)) {
    throw new UsageError(
      'CONFIG_BAD_OPTION',
      `--database-source must be seed, snapshot or staging, got ${source}`,
    );
  }
  const exists = Boolean(options.databaseExists) || Boolean(options.databaseLocked);
  return {
    exists,
    locked: Boolean(options.databaseLocked),
    source: exists ? ((source as PreviewSource | undefined) ?? null) : null,
  };
}
