import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/run-cli.js';
import { testTool } from '../../helpers/servers.js';

const AGE_KEYGEN = testTool('AGE_KEYGEN_BIN');
const work = mkdtempSync(join(tmpdir(), 'dbfork-keygen-'));

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('dbfork keygen', () => {
  it('-o writes an identity file with mode 0600 whose recipient is what age-keygen -y derives', async () => {
    const file = join(work, 'key.txt');
    const res = await runCli(['keygen', '-o', file]);
    expect(res.code, res.stderr).toBe(0);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const printed = /^Public key: (age1[0-9a-z]{58})$/m.exec(res.stderr)?.[1];
    expect(printed).toBeDefined();
    expect(res.stdout).toBe(''); // the identity is only in the file
    const text = readFileSync(file, 'utf8');
    expect(text).toMatch(/^# created: \d{4}-\d\d-\d\dT/m);
    expect(text).toContain(`# public key: ${printed}\n`);
    expect(text).toMatch(/^AGE-SECRET-KEY-1[0-9A-Z]{58}$/m);
    expect(execFileSync(AGE_KEYGEN, ['-y', file]).toString().trim()).toBe(printed);
  });

  it('refuses an existing file and leaves it as it was', async () => {
    const file = join(work, 'exists.txt');
    writeFileSync(file, 'precious\n');
    const res = await runCli(['keygen', '-o', file]);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('the file exists');
    expect(readFileSync(file, 'utf8')).toBe('precious\n');
  });

  it('without -o prints the identity file to stdout, in the format age-keygen -y reads', async () => {
    const res = await runCli(['keygen']);
    expect(res.code, res.stderr).toBe(0);
    const recipient = /^# public key: (age1[0-9a-z]+)$/m.exec(res.stdout)?.[1];
    const file = join(work, 'stdout.txt');
    writeFileSync(file, res.stdout, { mode: 0o600 });
    expect(execFileSync(AGE_KEYGEN, ['-y', file]).toString().trim()).toBe(recipient);
  });

  it('two runs give two different identities', async () => {
    const [a, b] = await Promise.all([runCli(['keygen']), runCli(['keygen'])]);
    const secret = (s: string) => /AGE-SECRET-KEY-1[0-9A-Z]+/.exec(s)?.[0];
    expect(secret(a.stdout)).toBeDefined();
    expect(secret(a.stdout)).not.toBe(secret(b.stdout));
  });
});
