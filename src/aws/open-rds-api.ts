import type { RdsConnection } from '../rds/clone-steps.js';
import type { RdsApi } from '../rds/rds-port.js';
import type { AssumeRoleOptions } from './mfa-credentials.js';

const opened = new Map<string, Promise<RdsApi>>();

/**
 * The RDS API of a connection, opened once per process (one MFA prompt per run): the SDK's standard
 * credential chain, or the role of `roleArn` assumed with MFA. `AWS_ENDPOINT_URL_RDS` or
 * `AWS_ENDPOINT_URL` selects another endpoint (moto, a VPC endpoint).
 */
export function openRdsApi(
  connection: RdsConnection,
  options: Pick<AssumeRoleOptions, 'askCode' | 'env'> = {},
): Promise<RdsApi> {
  const key = JSON.stringify(connection);
  let api = opened.get(key);
  if (!api) {
    api = open(connection, options);
    api.catch(() => opened.delete(key));
    opened.set(key, api);
  }
  return api;
}

async function open(
  connection: RdsConnection,
  options: Pick<AssumeRoleOptions, 'askCode' | 'env'>,
): Promise<RdsApi> {
  const env = options.env ?? process.env;
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const endpoint = env.AWS_ENDPOINT_URL_RDS ?? env.AWS_ENDPOINT_URL;
  // the SDK's modules load here, so commands that never reach AWS do not pay for them
  const [{ RDSClient }, { AwsRdsApi }, { assumeRoleWithMfa }] = await Promise.all([
    import('@aws-sdk/client-rds'),
    import('./aws-rds-api.js'),
    import('./mfa-credentials.js'),
  ]);
  const credentials = connection.roleArn
    ? await assumeRoleWithMfa({ ...connection, roleArn: connection.roleArn, ...options })
    : undefined;
  return new AwsRdsApi(
    new RDSClient({
      region: connection.region,
      ...(endpoint ? { endpoint } : {}),
      ...(credentials ? { credentials } : {}),
    }),
  );
}

/** The region the SDK would use (flag, `AWS_REGION`, profile), or undefined. */
export async function defaultRegion(): Promise<string | undefined> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  try {
    const { RDSClient } = await import('@aws-sdk/client-rds');
    return await new RDSClient({}).config.region();
  } catch {
    return undefined;
  }
}
