/** The dbfork command a schedule runs: its arguments and the bounded labels its metrics carry. */
export interface ScheduledCommand {
  /** The arguments after `dbfork` (`snapshot`, `create`, `--db`, `app`, …). */
  readonly args: readonly string[];
  /** The command words in snake case (`snapshot_create`): the metrics' `command` label. */
  readonly command: string;
  /** Its `--db` value, or `''`: the metrics' `database` label. */
  readonly database: string;
}

/** How the scheduler starts dbfork: `program` (Node) with `entry` (the CLI's main module) first. */
export interface DbforkInvocation {
  readonly program: string;
  readonly entry: string;
}

/** A short, stable name for units and lock files: `dbfork-snapshot-create-app`. */
export function scheduleName(command: ScheduledCommand): string {
  const words = [command.command.replace(/_/g, '-'), command.database].filter((w) => w !== '');
  return `dbfork-${words.join('-')}`
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/-+$/, '');
}
