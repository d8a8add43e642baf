import type { EbsConnection } from '../../ebs/ebs-connection.js';
import type { Ec2Api, SsmApi } from '../../ebs/ebs-port.js';
import type { AdminCommand } from '../../ebs/lock-watchdog.js';
import type { StartWatchdog } from '../lock-watchdog-spawn.js';

/** What the `ebs.*` kinds talk to: AWS, the hidden member, the watchdog. Tests give recording ones. */
export interface EbsDeps {
  readonly apis: (connection: EbsConnection) => { readonly ec2: Ec2Api; readonly ssm: SsmApi };
  /** Open admin commands on the member at this connection string (credentials included). */
  readonly admin: (uri: string) => Promise<{ run: AdminCommand; close(): Promise<void> }>;
  readonly watchdog: StartWatchdog;
  /** Pause between looks inside a step (detach, command polling); default setTimeout. */
  readonly sleep?: (ms: number) => Promise<void>;
}

export const sleepOf = (deps: EbsDeps): ((ms: number) => Promise<void>) =>
  deps.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
