import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findProjectConfig } from '../../../src/config/find-project-config.js';
import { interpolateEnv } from '../../../src/config/interpolate-env.js';
import { prDatabaseName, previewSettings } from '../../../src/config/preview-settings.js';
import { loadProjectConfig, parseProjectConfig } from '../../../src/config/project-config.js';
import { isDbforkError, type DbforkError } from '../../../src/errors/index.js';

const dirs: string[] = [];
afterAll(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

function failure(run: () => unknown): DbforkError {
  try {
    run();
  } catch (error) {
    if (isDbforkError(error)) return error;
    throw error;
  }
  throw new Error('expected a failure');
}

describe('dbfork.yaml errors give file:line:column and the key path', () => {
  const cases: [string, string, string, string][] = [
    [
      'unknown key',
      'version: 1\ndatabases:\n  prodution: [shop]\n',
      'CONFIG_INVALID',
      'dbfork.yaml:3:3: unknown key "prodution" (did you mean "production"?) at databases.prodution',
    ],
    [
      'wrong type',
      'databases:\n  production: shop\n',
      'CONFIG_INVALID',
      'dbfork.yaml:2:3: Invalid input: expected array, received string at databases.production',
    ],
    [
      'bad regex',
      "databases:\n  ephemeral_pattern: '(['\n",
      'CONFIG_INVALID',
      'dbfork.yaml:2:3: not a valid regular expression',
    ],
    [
      'bad connection string',
      'target:\n  uri: postgres://x\n',
      'CONFIG_INVALID',
      'dbfork.yaml:2:3: not a mongodb:// or mongodb+srv:// connection string at target.uri',
    ],
    [
      'template without {number}',
      'databases:\n  pr_template: app_pr\n',
      'CONFIG_INVALID',
      'at databases.pr_template',
    ],
    [
      'bad list item',
      'databases:\n  snapshot: [ok, "a.b"]\n',
      'CONFIG_INVALID',
      'dbfork.yaml:2:18: not a valid database name at databases.snapshot[1]',
    ],
    ['syntax', 'source:\n  db: [shop\n', 'CONFIG_SYNTAX', 'dbfork.yaml:'],
    ['duplicate key', 'store: a\nstore: b\n', 'CONFIG_SYNTAX', 'dbfork.yaml:2:1'],
  ];
  it.each(cases)('%s', (_name, text, code, message) => {
    const error = failure(() => parseProjectConfig(text, 'dbfork.yaml'));
    expect(error.code).toBe(code);
    expect(error.exitCode).toBe(2);
    expect(error.message).toContain(message);
    expect(error.subject.file).toBe('dbfork.yaml');
    expect(typeof error.subject.line).toBe('number');
  });

  it('an unreadable --config file is CONFIG_FILE_UNREADABLE', () => {
    expect(failure(() => loadProjectConfig('/nonexistent/dbfork.yaml')).code).toBe('CONFIG_FILE_UNREADABLE');
  });
});

describe('${VAR} interpolation', () => {
  it('fills ${VAR}, ${VAR:-default} and $$, leaving other $ alone', () => {
    const env = { A: 'x', EMPTY: '' };
    expect(interpolateEnv('${A}-${B:-dflt}-${EMPTY:-e}-$$-$1-${A}', env)).toEqual({
      value: 'x-dflt-e-$-$1-x',
    });
    expect(interpolateEnv('mongodb://u:${PW}@h/', env)).toEqual({ missing: 'PW' });
  });

  it('is done when a setting is read: a missing variable names itself and its line, never a value', () => {
    const config = parseProjectConfig(
      'source:\n  uri: ${PROD_URI}\ntarget:\n  uri: mongodb://u:${STAGING_PW}@h:27017/\n',
      'dbfork.yaml',
      { PROD_URI: 'mongodb://app:hunter22@prod/' },
    );
    expect(config.text(['source', 'uri'])).toBe('mongodb://app:hunter22@prod/');
    const error = failure(() => config.text(['target', 'uri']));
    expect(error.code).toBe('CONFIG_ENV_MISSING');
    expect(error.message).toBe(
      'dbfork.yaml:4:3: the environment variable STAGING_PW is not set at target.uri',
    );
    expect(error.subject.variable).toBe('STAGING_PW');
    expect(error.hint).toContain('${STAGING_PW:-value}');
  });

  it('checks an interpolated value once filled in', () => {
    const config = parseProjectConfig('target:\n  uri: ${T}\n', 'dbfork.yaml', { T: 'http://nope' });
    const error = failure(() =>
      config.text(['target', 'uri'], (v) => (v.startsWith('mongodb') ? undefined : 'bad')),
    );
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).toBe('dbfork.yaml:2:3: bad (after filling in variables) at target.uri');
    // the value itself is never quoted
    expect(error.message).not.toContain('http://nope');
  });

  it('gives { config } references their values, variables filled in', () => {
    const config = parseProjectConfig('target:\n  uri: mongodb://h/?x=${X}\n', 'f.yaml', { X: '1' });
    expect(config.value('target.uri')).toBe('mongodb://h/?x=1');
    expect(config.value('target')).toBeUndefined();
    expect(config.value('nothing.here')).toBeUndefined();
  });
});

describe('the example dbfork.yaml', () => {
  it('validates, and its preview settings read with the file’s values', () => {
    const config = loadProjectConfig('examples/dbfork.yaml', { PROD_MONGODB_URI: 'mongodb://p/' });
    const preview = previewSettings(config);
    expect(preview).toMatchObject({
      prTemplate: 'shop_pr_{number}',
      allowRaw: false,
      labels: { preview: 'preview', useSnapshot: 'use-snapshot', persistDb: 'persist-db' },
    });
    expect(preview.seed).toEqual({ dump: join(process.cwd(), 'examples', 'seed', 'shop.archive.gz') });
    expect(prDatabaseName(preview.prTemplate, 42)).toBe('shop_pr_42');
    expect(config.filePath(['store'])).toBe('s3://acme-dbfork/snapshots');
    expect(readFileSync('examples/dbfork.yaml', 'utf8').split('\n')[0]).toBe(
      '# yaml-language-server: $schema=../schemas/dbfork-config.schema.json',
    );
  });

  it('without a file, the preview defaults', () => {
    expect(previewSettings(undefined)).toEqual({
      prTemplate: 'app_pr_{number}',
      allowRaw: false,
      labels: { preview: 'preview', useSnapshot: 'use-snapshot', persistDb: 'persist-db' },
      seed: null,
    });
  });
});

describe('finding dbfork.yaml', () => {
  it('looks in the folder, then its parents up to the repository root, never above it', () => {
    const root = mkdtempSync(join(tmpdir(), 'dbfork-find-'));
    dirs.push(root);
    const repo = join(root, 'repo');
    const deep = join(repo, 'services', 'api');
    mkdirSync(join(repo, '.git'), { recursive: true });
    mkdirSync(deep, { recursive: true });
    writeFileSync(join(root, 'dbfork.yaml'), 'version: 1\n');
    expect(findProjectConfig(deep)).toBeUndefined(); // above the repository root: not used
    writeFileSync(join(repo, 'dbfork.yaml'), 'version: 1\n');
    expect(findProjectConfig(deep)).toBe(join(repo, 'dbfork.yaml'));
    writeFileSync(join(deep, 'dbfork.yaml'), 'version: 1\n');
    expect(findProjectConfig(deep)).toBe(join(deep, 'dbfork.yaml'));
  });

  it('outside a repository, only the working directory', () => {
    const root = mkdtempSync(join(tmpdir(), 'dbfork-find-'));
    dirs.push(root);
    const sub = join(root, 'sub');
    mkdirSync(sub);
    writeFileSync(join(root, 'dbfork.yaml'), 'version: 1\n');
    expect(findProjectConfig(sub)).toBeUndefined();
    expect(findProjectConfig(root)).toBe(join(root, 'dbfork.yaml'));
  });
});
