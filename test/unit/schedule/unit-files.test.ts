import { describe, expect, it } from 'vitest';
import { crontabEntry, shellQuote } from '../../../src/schedule/crontab-entry.js';
import { parseCronSchedule } from '../../../src/schedule/cron-schedule.js';
import { onCalendarOf } from '../../../src/schedule/on-calendar.js';
import { scheduleName, type ScheduledCommand } from '../../../src/schedule/scheduled-command.js';
import { systemdUnits } from '../../../src/schedule/systemd-units.js';

const onCalendar = (cron: string, tz?: string): string => onCalendarOf(parseCronSchedule(cron, tz));
const invocation = { program: '/usr/bin/node', entry: '/opt/dbfork/dist/cli/main.js' };
const backup: ScheduledCommand = {
  args: [
    'snapshot',
    'create',
    '--uri-env',
    'DBFORK_SOURCE_URI',
    '--db',
    'app',
    '--query',
    'users={"a":"50%"}',
  ],
  command: 'snapshot_create',
  database: 'app',
};

describe('cron expressions', () => {
  it('are checked up front with a clear error: bad fields, an unknown zone, a day that never comes', () => {
    for (const bad of ['0 2 * *', '0 25 * * *', '61 * * * *', 'every day', '0 0 0 0 0 0 0'])
      expect(() => parseCronSchedule(bad)).toThrow(expect.objectContaining({ code: 'SCHEDULE_BAD_CRON' }));
    expect(() => parseCronSchedule('0 2 * * *', 'Mars/Olympus')).toThrow(/not an IANA time zone/);
    expect(() => parseCronSchedule('0 0 31 2 *')).toThrow(/never fires/);
    expect(parseCronSchedule(' 0 2 * * * ', 'UTC')).toMatchObject({
      expression: '0 2 * * *',
      timezone: 'UTC',
    });
  });
});

describe('systemd OnCalendar from cron', () => {
  it.each([
    ['0 2 * * *', undefined, '*-*-* 02:00:00'],
    ['0 2 * * *', 'Europe/Berlin', '*-*-* 02:00:00 Europe/Berlin'],
    ['*/15 * * * *', undefined, '*-*-* *:00/15:00'],
    ['30 4 1,15 * *', undefined, '*-*-01,15 04:30:00'],
    ['0 3 * * 1-5', undefined, 'Mon..Fri *-*-* 03:00:00'],
    ['0 3 * * 0,6', undefined, 'Sat,Sun *-*-* 03:00:00'],
    ['0 3 * * 7', undefined, 'Sun *-*-* 03:00:00'],
    ['0 0 1 1-3,7 *', undefined, '*-01..03,07-01 00:00:00'],
    ['*/10 * * * * *', undefined, '*-*-* *:*:00/10'],
    ['0 9-17 * * *', undefined, '*-*-* 09..17:00:00'],
    ['@daily', undefined, '*-*-* 00:00:00'],
    ['@weekly', undefined, 'Sun *-*-* 00:00:00'],
  ])('%s (%s) → %s', (cron, tz, expected) => {
    expect(onCalendar(cron, tz)).toBe(expected);
  });

  it('refuses what OnCalendar cannot say, naming why', () => {
    expect(() => onCalendar('0 0 1 * 1')).toThrow(/both the day of the month and the day of the week/);
    expect(() => onCalendar('0 0 L * *')).toThrow(
      expect.objectContaining({ code: 'SCHEDULE_NOT_EXPRESSIBLE' }),
    );
    expect(() => onCalendar('0 0 * * 1#2')).toThrow(/nth weekday/);
  });
});

describe('printed units and crontab entries', () => {
  it('a systemd service reads credentials from its EnvironmentFile and quotes ExecStart for systemd', () => {
    const { service, timer } = systemdUnits(parseCronSchedule('0 2 * * *', 'UTC'), invocation, backup, {
      name: scheduleName(backup),
      envFile: '/etc/dbfork/app.env',
    });
    expect(scheduleName(backup)).toBe('dbfork-snapshot-create-app');
    expect(service).toContain('Type=oneshot\nEnvironmentFile=/etc/dbfork/app.env\n');
    expect(service).toContain(
      'ExecStart=/usr/bin/node /opt/dbfork/dist/cli/main.js snapshot create --uri-env DBFORK_SOURCE_URI --db app --query "users={\\"a\\":\\"50%%\\"}"\n',
    );
    expect(timer).toContain(
      'OnCalendar=*-*-* 02:00:00 UTC\nPersistent=true\nUnit=dbfork-snapshot-create-app.service\n',
    );
    expect(timer).toContain('[Install]\nWantedBy=timers.target\n');
  });

  it('a crontab entry runs under flock -n, reads the env file, escapes % and keeps the zone', () => {
    const entry = crontabEntry(parseCronSchedule('0 0 2 * * *', 'UTC'), invocation, backup, {
      lockFile: '/run/lock/dbfork-snapshot-create-app.lock',
      envFile: '/etc/dbfork/app.env',
    });
    const lines = entry.trimEnd().split('\n');
    expect(lines[1]).toBe('CRON_TZ=UTC');
    expect(lines[2]).toBe(
      `0 2 * * * set -a && . /etc/dbfork/app.env && set +a && exec flock -n /run/lock/dbfork-snapshot-create-app.lock /usr/bin/node /opt/dbfork/dist/cli/main.js snapshot create --uri-env DBFORK_SOURCE_URI --db app --query 'users={"a":"50\\%"}'`,
    );
    expect(() =>
      crontabEntry(parseCronSchedule('*/5 * * * * *'), invocation, backup, { lockFile: 'l', envFile: 'e' }),
    ).toThrow(expect.objectContaining({ code: 'SCHEDULE_NOT_EXPRESSIBLE' }));
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
  });
});
