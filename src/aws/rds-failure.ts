import { DbforkError, PolicyError } from '../errors/index.js';
import { awsFailureFacts } from './aws-failure.js';

/**
 * An AWS SDK failure as a DbforkError: IAM refusals are PolicyError `RDS_ACCESS_DENIED` (the policy
 * from `--iam-policy` lacks something), anything else TargetError `RDS_API_FAILED`, labelled
 * `retryable` for throttling and 5xx answers; a missing instance or snapshot is
 * `RDS_INSTANCE_NOT_FOUND`. The message names the call and the SDK's error name.
 */
export function rdsFailure(call: string, error: unknown): DbforkError {
  const facts = awsFailureFacts(call, error);
  if (facts.accessDenied)
    return new PolicyError('RDS_ACCESS_DENIED', facts.message, {
      hint: 'grant the policy printed by dbfork rds clone --iam-policy',
      cause: error,
    });
  if (facts.name === 'DBInstanceNotFoundFault' || facts.name === 'DBSnapshotNotFoundFault')
    return new DbforkError('target', 'RDS_INSTANCE_NOT_FOUND', facts.message, {
      subject: { call },
      cause: error,
    });
  return new DbforkError('target', 'RDS_API_FAILED', facts.message, {
    subject: { call },
    hint: facts.transient
      ? 'RDS is busy or throttling; rerun to resume'
      : 'fix the cause, then rerun: finished steps are skipped',
    labels: facts.transient ? ['retryable'] : [],
    cause: error,
  });
}
