import { createInterface } from 'node:readline/promises';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { registerSecret } from '../core/redact.js';
import { PolicyError, UsageError } from '../errors/index.js';
import { rdsFailure } from './rds-failure.js';

/** Temporary credentials of an assumed role. */
export interface SessionCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string;
  readonly expiration?: Date;
}

export interface AssumeRoleOptions {
  readonly roleArn: string;
  readonly mfaSerial?: string;
  /** Session length, in seconds (default 3600). */
  readonly sessionSeconds?: number;
  readonly region: string;
  /** Where the MFA code comes from when `$DBFORK_MFA_CODE` is unset (default: a terminal prompt). */
  readonly askCode?: () => Promise<string>;
  readonly env?: NodeJS.ProcessEnv;
}

/**
 * STS AssumeRole for `--role-arn`, with the MFA device `--mfa-serial` and a code read from
 * `$DBFORK_MFA_CODE` or asked on the terminal. The base credentials are the SDK's standard chain;
 * `AWS_ENDPOINT_URL_STS` or `AWS_ENDPOINT_URL` selects another endpoint. The session's secrets are
 * registered for redaction and never printed.
 *
 * @throws UsageError `RDS_MFA_CODE_MISSING` when a code is needed and none can be asked for;
 *   PolicyError `RDS_ACCESS_DENIED` / TargetError `RDS_API_FAILED` from STS
 */
export async function assumeRoleWithMfa(options: AssumeRoleOptions): Promise<SessionCredentials> {
  const env = options.env ?? process.env;
  const endpoint = env.AWS_ENDPOINT_URL_STS ?? env.AWS_ENDPOINT_URL;
  const sts = new STSClient({ region: options.region, ...(endpoint ? { endpoint } : {}) });
  const code = options.mfaSerial ? await mfaCode(env, options.askCode) : undefined;
  try {
    const out = await sts.send(
      new AssumeRoleCommand({
        RoleArn: options.roleArn,
        RoleSessionName: `dbfork-${process.pid}`,
        DurationSeconds: options.sessionSeconds ?? 3600,
        ...(options.mfaSerial ? { SerialNumber: options.mfaSerial, TokenCode: code } : {}),
      }),
    );
    const c = out.Credentials;
    if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken)
      throw new PolicyError('RDS_ACCESS_DENIED', `STS gave no credentials for ${options.roleArn}`);
    registerSecret(c.SecretAccessKey);
    registerSecret(c.SessionToken);
    return {
      accessKeyId: c.AccessKeyId,
      secretAccessKey: c.SecretAccessKey,
      sessionToken: c.SessionToken,
      ...(c.Expiration ? { expiration: c.Expiration } : {}),
    };
  } catch (error) {
    if (error instanceof PolicyError) throw error;
    throw rdsFailure('AssumeRole', error);
  } finally {
    sts.destroy();
  }
}

async function mfaCode(env: NodeJS.ProcessEnv, ask: (() => Promise<string>) | undefined): Promise<string> {
  const fromEnv = env.DBFORK_MFA_CODE?.trim();
  if (fromEnv) return fromEnv;
  if (ask) return (await ask()).trim();
  if (!process.stdin.isTTY || !process.stderr.isTTY)
    throw new UsageError(
      'RDS_MFA_CODE_MISSING',
      '--mfa-serial needs an MFA code and there is no terminal to ask',
      {
        hint: 'set DBFORK_MFA_CODE to the current code of the MFA device',
      },
    );
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return (await rl.question('MFA code: ')).trim();
  } finally {
    rl.close();
  }
}
