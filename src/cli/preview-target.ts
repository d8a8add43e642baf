import { createSecretResolver } from '../plan/secret-resolver.js';
import type { RestoreRunParams } from '../pipeline/operations/restore-run-operation.js';
import { connectionFrom, type PlannedConnection } from './connection-options.js';
import { guardConfigFrom, type GuardFlags } from './guard-options.js';

/** The `--target-uri` connection flags as commander parses them. */
export interface TargetUriFlags {
  targetUri?: string;
  targetUriEnv?: string;
  targetUriFile?: string;
}

/** The target connection (reference and resolved URI) and the guard's plan settings. */
export async function previewTarget(
  flags: TargetUriFlags & GuardFlags,
): Promise<{ target: PlannedConnection; uri: string; guard: RestoreRunParams['guard'] }> {
  const target = connectionFrom(
    { value: flags.targetUri, env: flags.targetUriEnv, file: flags.targetUriFile },
    '--target-uri',
  );
  const uri = (await createSecretResolver({ args: target.args }).resolve(target.ref)).reveal();
  const config = guardConfigFrom(flags);
  return {
    target,
    uri,
    guard: {
      ephemeralPattern: flags.ephemeralPattern,
      allowTargets: [...(config.allowTargets ?? [])],
      protectedDbs: [...(config.protectedDbs ?? [])],
      ...(config.confirm === undefined ? {} : { confirm: config.confirm }),
    },
  };
}
