import type { Plan } from '../plan/plan-schema.js';
import { newPlan } from '../plan/new-plan.js';
import { describeRef } from '../plan/secret-ref.js';
import type { SnapshotCaptureParams } from './operations/snapshot-capture-operation.js';

/**
 * Plan `dbfork snapshot create`: one capture. Pure. Retryable (a failed capture leaves no complete
 * snapshot behind), not idempotent (each run makes a new snapshot).
 */
export function planSnapshotCreate(
  capture: SnapshotCaptureParams,
  options: { readonly preview?: Plan['preview']; readonly now?: Date } = {},
): Plan {
  const how =
    capture.anonymization && 'rules' in capture.anonymization
      ? `anonymized with ${capture.anonymization.rules}`
      : 'raw (--no-anonymize)';
  const recipients = capture.recipients ?? [];
  const encrypted = recipients.length > 0 ? `, age-encrypted to ${recipients.join(', ')}` : '';
  const throttled =
    capture.maxReadRate === undefined
      ? ''
      : `, reads throttled to --max-read-rate ${capture.maxReadRate} bytes/s`;
  return newPlan({
    command: 'snapshot create',
    summary: `capture ${capture.db} into snapshot ${capture.name}`,
    operations: [
      {
        id: 'capture',
        kind: 'snapshot.capture',
        description: `capture ${capture.db} at ${describeRef(capture.source)} into snapshot ${capture.name} in ${capture.store} (${capture.format}${capture.gzip ? ', gzip' : ''}${encrypted}), ${how}${throttled}`,
        aspects: ['retryable'],
        params: capture,
      },
    ],
    ...(options.preview ? { preview: options.preview } : {}),
    ...(options.now ? { now: options.now } : {}),
  });
}
