import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { parseProjectConfig } from '../../../src/config/project-config.js';
import { addConnectionOptions, plannedConnection } from '../../../src/cli/connection-options.js';
import { addProtectionOptions } from '../../../src/cli/guard-options.js';
import { storeOption } from '../../../src/cli/option-groups.js';
import { completeFromConfig, originOf } from '../../../src/cli/project-options.js';

const yaml = [
  'target:',
  '  uri: ${STAGING_URI}',
  'databases:',
  '  production: [shop]',
  "  ephemeral_pattern: '^pr_'",
  'store: /srv/snapshots',
].join('\n');

/** A command with the marked option groups, parsed from `args` and completed from the file. */
function run(args: string[], env: NodeJS.ProcessEnv = {}) {
  const config = parseProjectConfig(yaml, '/app/dbfork.yaml', env);
  const command = new Command('x').exitOverride().addOption(storeOption());
  addProtectionOptions(command);
  addConnectionOptions(command, 'to', 'target', 'target');
  let seen: Record<string, unknown> = {};
  command.hook('preAction', (c) => completeFromConfig(c, config, env));
  command.action((options: Record<string, unknown>) => {
    seen = options;
  });
  command.parse(args, { from: 'user' });
  return { options: seen, command };
}

describe('options filled from dbfork.yaml: flag → environment → file → default', () => {
  it('the file fills what the command line leaves unset, and records where from', () => {
    const { options, command } = run([], { STAGING_URI: 'mongodb://h/' });
    expect(options).toMatchObject({ store: '/srv/snapshots', ephemeralPattern: '^pr_', protectDb: ['shop'] });
    expect(originOf(command, 'store')).toBe('/app/dbfork.yaml:6');
    expect(plannedConnection(options, 'to').ref).toEqual({ env: 'STAGING_URI' });
    expect(originOf(command, 'toEnv')).toBe('/app/dbfork.yaml:2 (${STAGING_URI})');
  });

  it('flags win; --protect-db adds to the file’s list', () => {
    const { options, command } = run(
      ['--store', '/tmp/s', '--ephemeral-pattern', '_x$', '--protect-db', 'legacy', '--to-file', '/run/uri'],
      { STAGING_URI: 'mongodb://h/' },
    );
    expect(options).toMatchObject({
      store: '/tmp/s',
      ephemeralPattern: '_x$',
      protectDb: ['legacy', 'shop'],
    });
    expect(originOf(command, 'store')).toBe('flag');
    expect(plannedConnection(options, 'to').ref).toEqual({ file: '/run/uri' });
  });

  it('the environment wins over the file', () => {
    const { options, command } = run([], { DBFORK_TARGET_URI: 'mongodb://env/', DBFORK_STORE: '/env/store' });
    expect(plannedConnection(options, 'to').ref).toEqual({ env: 'DBFORK_TARGET_URI' });
    expect(options.store).toBeUndefined(); // the store's own default reads $DBFORK_STORE
    expect(originOf(command, 'store')).toBe('env DBFORK_STORE');
  });

  it('a connection the file names through an unset variable fails naming it', () => {
    expect(() => run([])).toThrow(
      '/app/dbfork.yaml:2:3: the environment variable STAGING_URI is not set at target.uri',
    );
  });
});
