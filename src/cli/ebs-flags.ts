import { defaultRegion } from '../aws/open-rds-api.js';
import { UsageError } from '../errors/index.js';
import type { EbsConnection } from '../ebs/ebs-connection.js';

/** `--region`, else the SDK chain's region. @throws UsageError `CONFIG_BAD_OPTION` without one */
export async function ebsConnectionOf(region: string | undefined): Promise<EbsConnection> {
  const chosen = region ?? (await defaultRegion());
  if (!chosen)
    throw new UsageError('CONFIG_BAD_OPTION', 'no AWS region', { hint: 'give --region or set AWS_REGION' });
  return { region: chosen };
}
