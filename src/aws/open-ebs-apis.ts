import type { EbsConnection } from '../ebs/ebs-connection.js';
import type { Ec2Api, SsmApi } from '../ebs/ebs-port.js';
import { ebsFailure } from './ebs-failure.js';
import { lazyApi } from './lazy-api.js';

/** EC2 and Systems Manager of one region. */
export interface EbsApis {
  readonly ec2: Ec2Api;
  readonly ssm: SsmApi;
}

const opened = new Map<string, EbsApis>();

/**
 * The EC2 and SSM APIs of a connection, opened once per process with the SDK's standard credential
 * chain. `AWS_ENDPOINT_URL_EC2` / `AWS_ENDPOINT_URL_SSM` or `AWS_ENDPOINT_URL` select other endpoints
 * (moto, VPC endpoints).
 */
export function openEbsApis(connection: EbsConnection, env: NodeJS.ProcessEnv = process.env): EbsApis {
  const key = connection.region;
  let apis = opened.get(key);
  if (!apis) {
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
    const ec2Endpoint = env.AWS_ENDPOINT_URL_EC2 ?? env.AWS_ENDPOINT_URL;
    const ssmEndpoint = env.AWS_ENDPOINT_URL_SSM ?? env.AWS_ENDPOINT_URL;
    // the SDK's modules load on the first call, so commands that never reach AWS do not pay for them
    apis = {
      ec2: lazyApi<Ec2Api>(async () => {
        const [{ EC2Client }, { AwsEc2Api }] = await Promise.all([
          import('@aws-sdk/client-ec2'),
          import('./aws-ec2-api.js'),
        ]);
        return new AwsEc2Api(
          new EC2Client({ region: connection.region, ...(ec2Endpoint ? { endpoint: ec2Endpoint } : {}) }),
        );
      }),
      ssm: lazyApi<SsmApi>(async () => {
        const [{ SSMClient }, { AwsSsmApi }] = await Promise.all([
          import('@aws-sdk/client-ssm'),
          import('./aws-ssm-api.js'),
        ]);
        return new AwsSsmApi(
          new SSMClient({ region: connection.region, ...(ssmEndpoint ? { endpoint: ssmEndpoint } : {}) }),
        );
      }),
    };
    opened.set(key, apis);
  }
  return apis;
}

/** The account of the caller's credentials (STS GetCallerIdentity; `AWS_ENDPOINT_URL_STS` honoured). */
export async function callerAccount(
  connection: EbsConnection,
  env: NodeJS.ProcessEnv = process.env,
): Promise<string> {
  const endpoint = env.AWS_ENDPOINT_URL_STS ?? env.AWS_ENDPOINT_URL;
  const { GetCallerIdentityCommand, STSClient } = await import('@aws-sdk/client-sts');
  const sts = new STSClient({ region: connection.region, ...(endpoint ? { endpoint } : {}) });
  try {
    return (await sts.send(new GetCallerIdentityCommand({}))).Account ?? '';
  } catch (error) {
    throw ebsFailure('GetCallerIdentity', error);
  }
}
