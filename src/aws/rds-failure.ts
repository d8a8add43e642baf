import { DbforkError, PolicyError } from '../errors/index.js';

/** SDK error names that mean "try again later". */
const TRANSIENT = new Set([
  'Throttling',
  'ThrottlingException',
  'RequestLimitExceeded',
  'ServiceUnavailable',
  'InternalFailure',
]);

/**
 * An AWS SDK failure as a DbforkError: IAM refusals are PolicyError `RDS_ACCESS_DENIED` (the policy
 * from `--iam-policy` lacks something), anything else TargetError `RDS_API_FAILED`, labelled
 * `retryable` for throttling and 5xx answers; a missing instance or snapshot is `RDS_INSTANCE_NOT_FOUND`. The message names the call and the SDK's error name.
 */
export function rdsFailure(call: string, error: unknown): DbforkError {
  const name = (error as { name?: string }).name ?? 'Error';
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  const message = `${call} failed: ${name}: ${(error as Error).message ?? String(error)}`;
  if (name === 'AccessDenied' || name === 'AccessDeniedException' || name === 'UnauthorizedOperation')
    return new PolicyError('RDS_ACCESS_DENIED', message, {
      hint: 'grant the policy printed by dbfork rds clone --iam-policy',
      cause: error,
    });
  if (name === 'DBInstanceNotFoundFault' || name === 'DBSnapshotNotFoundFault')
    return new DbforkError('target', 'RDS_INSTANCE_NOT_FOUND', message, { subject: { call }, cause: error });
  const transient = TRANSIENT.has(name) || (status !== undefined && status >= 500);
  return new DbforkError('target', 'RDS_API_FAILED', message, {
    subject: { call },
    hint: transient
      ? 'RDS is busy or throttling; rerun to resume'
      : 'fix the cause, then rerun: finished steps are skipped',
    labels: transient ? ['retryable'] : [],
    cause: error,
  });
}
