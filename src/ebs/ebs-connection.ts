import { z } from 'zod';

/** How a plan reaches EC2 and Systems Manager, resolved again at apply time: the region. Never a credential. */
export const EbsConnectionSchema = z.strictObject({ region: z.string().min(1) });

export type EbsConnection = z.infer<typeof EbsConnectionSchema>;

/** The ARN partition of a region (`aws`, `aws-cn`, `aws-us-gov`). */
export function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}
