import { Help, type Command } from 'commander';
import type { CommandDefinition, CommandSpec } from './command-registry.js';
import type { CommandContext } from './context.js';

const specs = new WeakMap<Command, CommandSpec>();

/**
 * Add every command of `tree` under `parent` by name and description only, so that help lists them
 * all without importing any command module. Leaves are listed with their spec's usage.
 */
export function addCommandStubs(parent: Command, tree: readonly CommandSpec[]): void {
  parent.configureHelp({ subcommandTerm: termOf });
  for (const spec of tree) {
    const command = parent.command(spec.name).description(spec.description);
    specs.set(command, spec);
    if ('subcommands' in spec) addCommandStubs(command, spec.subcommands);
  }
}

function termOf(command: Command): string {
  const spec = specs.get(command);
  if (spec === undefined || !('usage' in spec)) return new Help().subcommandTerm(command);
  return spec.usage === '' ? spec.name : `${spec.name} ${spec.usage}`;
}

/**
 * Import the module of the one command `argv` names (`dbfork snapshot create …`, also
 * `dbfork help restore`) and define it on its stub, before commander parses `argv`. Nothing is
 * imported for `--version`, `--help` or an unknown command (commander reports those).
 *
 * @returns the command defined, or undefined
 * @param valueFlags - the program's options that take a value (their value is not a command name)
 */
export async function defineInvokedCommand(
  program: Command,
  argv: readonly string[],
  valueFlags: readonly string[],
  context: () => CommandContext,
): Promise<Command | undefined> {
  let parent = program;
  for (const word of commandWords(argv.slice(2), valueFlags)) {
    const command = parent.commands.find((c) => c.name() === word);
    const spec = command === undefined ? undefined : specs.get(command);
    if (command === undefined || spec === undefined) {
      if (word === 'help') continue;
      return undefined;
    }
    if ('subcommands' in spec) {
      parent = command;
      continue;
    }
    // snapshot database stores (`--store mongodb://…`) open through the catalogue's scheme registry
    await import('../pipeline/snapshot-db/register-snapshot-db-store.js');
    const { define }: { define: CommandDefinition } = await spec.load();
    define(command, context);
    return command;
  }
  return undefined;
}

/** The words of a command line that are not options or option values, up to `--`. */
function commandWords(args: readonly string[], valueFlags: readonly string[]): string[] {
  const words: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    if (arg === '--') break;
    if (!arg.startsWith('-')) words.push(arg);
    else if (valueFlags.includes(arg)) i++;
  }
  return words;
}
