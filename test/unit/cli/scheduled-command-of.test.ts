import { describe, expect, it } from 'vitest';
import { metricsTargetsFrom } from '../../../src/cli/option-groups.js';
import { scheduledCommandOf } from '../../../src/cli/scheduled-command-of.js';

describe('the command a schedule runs', () => {
  it('is a registered dbfork command, after global options, labelled by its words and --db', () => {
    expect(
      scheduledCommandOf(['--json', '--log-level', 'info', 'snapshot', 'create', '--db=app']),
    ).toMatchObject({
      command: 'snapshot_create',
      database: 'app',
    });
    expect(scheduledCommandOf(['refresh', '--db', 'prod'])).toMatchObject({
      command: 'refresh',
      database: 'prod',
    });
    expect(scheduledCommandOf(['--version'])).toMatchObject({ command: 'version', database: '' });
  });

  it('refuses no command, a group without a subcommand, an unknown one and schedule itself', () => {
    expect(() => scheduledCommandOf([])).toThrow(/needs a dbfork command after --/);
    expect(() => scheduledCommandOf(['snapshot'])).toThrow(/snapshot needs a subcommand/);
    expect(() => scheduledCommandOf(['frobnicate', 'run'])).toThrow(/frobnicate is not a dbfork command/);
    expect(scheduledCommandOf(['backup', 'run', '--db', 'shop'])).toBeTruthy();
    expect(() => scheduledCommandOf(['schedule', '--cron', '* * * * *'])).toThrow(/cannot schedule itself/);
  });

  it('refuses a connection string with a password anywhere in the command', () => {
    for (const args of [
      ['restore', '--to', 'mongodb://u:secret@h/'],
      ['restore', '--to=mongodb://u:secret@h/'],
      ['snapshot', 'create', '--uri', 'mongodb://h/?password=x'],
    ])
      expect(() => scheduledCommandOf(args)).toThrow(
        expect.objectContaining({ code: 'SCHEDULE_SECRET_IN_COMMAND' }),
      );
  });
});

describe('metrics flags', () => {
  it('take a *.prom textfile and an http(s) Pushgateway', () => {
    expect(
      metricsTargetsFrom({ metricsTextfile: '/var/lib/nx/dbfork.prom', pushgateway: 'https://pg:9091' }),
    ).toEqual({
      textfile: '/var/lib/nx/dbfork.prom',
      pushgateway: 'https://pg:9091',
    });
    expect(metricsTargetsFrom({})).toEqual({});
    expect(() => metricsTargetsFrom({ metricsTextfile: 'dbfork.txt' })).toThrow(/must end in .prom/);
    for (const bad of ['pg:9091', 'ftp://pg', 'not a url'])
      expect(() => metricsTargetsFrom({ pushgateway: bad })).toThrow(
        expect.objectContaining({ code: 'CONFIG_BAD_OPTION' }),
      );
  });
});
