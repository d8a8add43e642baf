import { DbforkError, PolicyError } from '../errors/index.js';

/** SDK error names that mean "try again later". */
const TRANSIENT = new Set([
  'Throttling',
  'ThrottlingException',
  'RequestLimitExceeded',
  'ServiceUnavailable',
  'InternalFailure',
  'InternalServerError',
]);

/**
 * An EC2 or SSM SDK failure as a DbforkError: IAM refusals are PolicyError `EBS_ACCESS_DENIED` (the
 * policy from `--iam-policy` lacks something), anything else TargetError `EBS_API_FAILED`, labelled
 * `retryable` for throttling and 5xx answers. The message names the call and the SDK's error name.
 */
export function ebsFailure(call: string, error: unknown): DbforkError {
  const name = (error as { name?: string }).name ?? 'Error';
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  const message = `${call} failed: ${name}: ${(error as Error).message ?? String(error)}`;
  if (name === 'AccessDenied' || name === 'AccessDeniedException' || name === 'UnauthorizedOperation')
    return new PolicyError('EBS_ACCESS_DENIED', message, {
      subject: { call },
      hint: 'grant the policy printed by dbfork ebs sync --iam-policy',
      cause: error,
    });
  const transient = TRANSIENT.has(name) || (status !== undefined && status >= 500);
  return new DbforkError('target', 'EBS_API_FAILED', message, {
    subject: { call },
    hint: transient ? 'AWS is busy or throttling; rerun' : 'fix the cause, then rerun',
    labels: transient ? ['retryable'] : [],
    cause: error,
  });
}
