/** SDK error names that mean "try again later". */
const TRANSIENT = new Set([
  'Throttling',
  'ThrottlingException',
  'RequestLimitExceeded',
  'ServiceUnavailable',
  'InternalFailure',
  'InternalServerError',
]);

const ACCESS_DENIED = new Set(['AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation']);

/** What every AWS adapter needs to know of an SDK failure before mapping it to its own error codes. */
export interface AwsFailureFacts {
  /** The SDK's error name (`ThrottlingException`, `DBInstanceNotFoundFault`, …). */
  readonly name: string;
  /** `<call> failed: <name>: <message>`. */
  readonly message: string;
  /** IAM refused the call: the printed least-privilege policy lacks something. */
  readonly accessDenied: boolean;
  /** Throttling or a 5xx answer: a rerun may succeed. */
  readonly transient: boolean;
}

/** Read an AWS SDK v3 error: its name, a message naming the call, and whether it is IAM or transient. */
export function awsFailureFacts(call: string, error: unknown): AwsFailureFacts {
  const name = (error as { name?: string }).name ?? 'Error';
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  return {
    name,
    message: `${call} failed: ${name}: ${(error as Error).message ?? String(error)}`,
    accessDenied: ACCESS_DENIED.has(name),
    transient: TRANSIENT.has(name) || (status !== undefined && status >= 500),
  };
}
