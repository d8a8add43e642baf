import type { HostResolver } from './resolve-host-keys.js';
import type { SourceRef, TargetRef } from './target-guard.js';

/** What the guard's live half checks on an open target connection. */
export interface LiveGuardRequest {
  readonly target: TargetRef;
  /** Configured production and snapshot database names. */
  readonly protectedDbs: readonly string[];
  readonly source?: SourceRef;
  readonly resolver?: HostResolver;
}

/** What the live check could establish, for the plan and the logs. */
export interface LiveGuardReport {
  /** `checked`: the server listed the user's privileges; `undetermined`: it did not (no auth, FerretDB). */
  readonly privileges: 'checked' | 'undetermined';
  readonly privilegesDetail: string;
  /** `different`/`same`: compared by resolved addresses; `skipped`: no source or another db name. */
  readonly sourceHosts: 'different' | 'skipped';
}
