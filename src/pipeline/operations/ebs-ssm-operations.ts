import { scrub } from '../../core/redact.js';
import { TargetError } from '../../errors/index.js';
import type { OperationKind } from '../../plan/operation-kind.js';
import {
  InstallDocumentParamsSchema,
  SsmCommandParamsSchema,
  type InstallDocumentParams,
  type SsmCommandParams,
} from '../../ebs/sync-params.js';
import { sleepOf, type EbsDeps } from './ebs-deps.js';
import { runVolume } from './ebs-ec2-operations.js';

/** Run Command statuses after which an invocation never changes. */
const FINAL = new Set([
  'Success',
  'Cancelled',
  'TimedOut',
  'Failed',
  'Cancelling',
  'Undeliverable',
  'Terminated',
]);

/**
 * `ebs.command`: send one dbfork document to the staging instance and poll GetCommandInvocation until
 * it ends. Anything but `Success` fails the step (and so the run: later phases never run).
 *
 * @throws TargetError `EBS_COMMAND_FAILED` (the status and the end of its stderr, scrubbed),
 *   `EBS_COMMAND_TIMEOUT`
 */
export function ebsCommandOperation(deps: EbsDeps): OperationKind<SsmCommandParams> {
  const sleep = sleepOf(deps);
  return {
    kind: 'ebs.command',
    params: SsmCommandParamsSchema,
    async run(p) {
      const { ec2, ssm } = deps.apis(p.connection);
      const parameters = { ...p.parameters };
      if (p.withRunVolume) {
        const volume = await runVolume(ec2, p.runId);
        if (!volume)
          throw new TargetError('EBS_RUN_RESOURCE_MISSING', `the volume of run ${p.runId} is gone`, {
            hint: 'plan the sync again',
          });
        parameters.VolumeId = volume.id;
      }
      const commandId = await ssm.sendCommand(p.document, p.instanceId, parameters);
      const started = Date.now();
      for (;;) {
        const invocation = await ssm.invocation(commandId, p.instanceId);
        if (invocation && FINAL.has(invocation.status)) {
          if (invocation.status === 'Success') return { commandId, status: invocation.status };
          throw new TargetError(
            'EBS_COMMAND_FAILED',
            `${p.document} ${p.parameters.Phase ?? ''} on ${p.instanceId} ended ${invocation.status}: ${scrub(invocation.stderr.slice(-400)).trim()}`,
            {
              subject: { document: p.document, commandId, instance: p.instanceId },
              hint: 'staging stays closed to clients; read the command output in Systems Manager, fix, rerun',
            },
          );
        }
        if (Date.now() - started > p.timeoutMs)
          throw new TargetError(
            'EBS_COMMAND_TIMEOUT',
            `${p.document} on ${p.instanceId} did not end within ${p.timeoutMs} ms`,
            {
              subject: { document: p.document, commandId, instance: p.instanceId },
            },
          );
        await sleep(p.intervalMs);
      }
    },
  };
}

/** `ebs.install-document`: create the document, or update it (and make that its default) when its hash differs. */
export function ebsInstallDocumentOperation(deps: EbsDeps): OperationKind<InstallDocumentParams> {
  return {
    kind: 'ebs.install-document',
    params: InstallDocumentParamsSchema,
    isDone: async (p) => (await deps.apis(p.connection).ssm.document(p.name))?.hash === p.sha256,
    async run(p) {
      const { ssm } = deps.apis(p.connection);
      const found = await ssm.document(p.name);
      if (found) await ssm.updateDocument(p.name, p.content);
      else await ssm.createDocument(p.name, p.content);
      return { name: p.name, action: found ? 'updated' : 'created' };
    },
  };
}
