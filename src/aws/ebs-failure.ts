import { DbforkError, PolicyError } from '../errors/index.js';
import { awsFailureFacts } from './aws-failure.js';

/**
 * An EC2 or SSM SDK failure as a DbforkError: IAM refusals are PolicyError `EBS_ACCESS_DENIED` (the
 * policy from `--iam-policy` lacks something), anything else TargetError `EBS_API_FAILED`, labelled
 * `retryable` for throttling and 5xx answers. The message names the call and the SDK's error name.
 */
export function ebsFailure(call: string, error: unknown): DbforkError {
  const facts = awsFailureFacts(call, error);
  if (facts.accessDenied)
    return new PolicyError('EBS_ACCESS_DENIED', facts.message, {
      subject: { call },
      hint: 'grant the policy printed by dbfork ebs sync --iam-policy',
      cause: error,
    });
  return new DbforkError('target', 'EBS_API_FAILED', facts.message, {
    subject: { call },
    hint: facts.transient ? 'AWS is busy or throttling; rerun' : 'fix the cause, then rerun',
    labels: facts.transient ? ['retryable'] : [],
    cause: error,
  });
}
