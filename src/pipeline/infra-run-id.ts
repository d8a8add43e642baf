import { randomBytes } from 'node:crypto';

/**
 * A run id for the AWS resources one infrastructure run creates (`20261202t010512345z-3f9a2c`): the UTC
 * start time to the millisecond, then 24 random bits. Ids sort in start order, which retention relies on
 * where a service reports creation times to the second only; the random part keeps two runs started in
 * the same millisecond apart. Only lowercase letters, digits and a hyphen, so it fits tag values and
 * RDS/EC2 names alike.
 */
export function newInfraRunId(now: Date = new Date()): string {
  const stamp = now.toISOString().replace(/[-:.]/g, '').replace(/Z$/, 'z').toLowerCase();
  return `${stamp}-${randomBytes(3).toString('hex')}`;
}
