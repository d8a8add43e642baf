import { Command, Help } from 'commander';
import { describe, expect, it } from 'vitest';
import { COMMANDS, type CommandSpec } from '../../../src/cli/command-registry.js';
import { buildProgram } from '../../../src/cli/program.js';

const leaves = (
  specs: readonly CommandSpec[],
  prefix = '',
): [string, Extract<CommandSpec, { usage: string }>][] =>
  specs.flatMap((s) =>
    'subcommands' in s ? leaves(s.subcommands, `${prefix}${s.name} `) : [[`${prefix}${s.name}`, s] as const],
  ) as [string, Extract<CommandSpec, { usage: string }>][];

const find = (program: Command, path: string): Command | undefined =>
  path
    .split(' ')
    .reduce<Command | undefined>((c, name) => c?.commands.find((x) => x.name() === name), program);

describe('the command registry', () => {
  it.each(leaves(COMMANDS))('lists %s with the usage its module defines', async (_path, spec) => {
    const command = new Command(spec.name);
    (await spec.load()).define(command, () => {
      throw new Error('not run');
    });
    expect(new Help().subcommandTerm(command)).toBe(`${spec.name} ${spec.usage}`.trim());
  });

  it('defines only the command a command line names', async () => {
    const program = await buildProgram(['node', 'dbfork', '--json', 'snapshot', 'create', '--help']);
    expect(find(program, 'snapshot create')?.options.length).toBeGreaterThan(0);
    expect(find(program, 'snapshot list')?.options).toEqual([]);
    expect(find(program, 'restore')?.options).toEqual([]);
  });

  it('defines the command `help <command>` names, and none for --version', async () => {
    expect(
      find(await buildProgram(['node', 'dbfork', 'help', 'restore']), 'restore')?.options.length,
    ).toBeGreaterThan(0);
    const version = await buildProgram(['node', 'dbfork', '--log-level', 'debug', '--version']);
    expect(leaves(COMMANDS).every(([path]) => find(version, path)?.options.length === 0)).toBe(true);
  });
});
