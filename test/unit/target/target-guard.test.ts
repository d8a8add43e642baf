import { describe, expect, it } from 'vitest';
import { assertTargetAllowed } from '../../../src/target/guard/assert-target-allowed.js';
import { normalizeHosts } from '../../../src/target/guard/normalize-hosts.js';
import { evaluateTargetGuard } from '../../../src/target/guard/target-guard.js';
import { writableDatabases } from '../../../src/target/guard/writable-databases.js';
import { isDbforkError } from '../../../src/errors/index.js';

const URI = 'mongodb://staging.internal:27017/';

describe('target guard rules', () => {
  it.each([
    ['admin', 'system-db', 'TARGET_PROTECTED'],
    ['LOCAL', 'system-db', 'TARGET_PROTECTED'],
    ['Config', 'system-db', 'TARGET_PROTECTED'],
    ['prod_app', 'protected-db', 'TARGET_PROTECTED'],
    ['PROD_APP', 'protected-db', 'TARGET_PROTECTED'],
    ['a.b', 'invalid-name', 'TARGET_NAME_INVALID'],
    ['', 'invalid-name', 'TARGET_NAME_INVALID'],
    ['x'.repeat(64), 'invalid-name', 'TARGET_NAME_INVALID'],
    ['app', 'source-itself', 'TARGET_IS_SOURCE'],
    ['staging', 'not-allowed', 'TARGET_NOT_ALLOWED'],
  ])('%s is refused by rule %s even with --allow-target .* and --confirm', (db, rule, code) => {
    const options = rule === 'not-allowed' ? {} : { allowTargets: ['.*'], confirm: db };
    const verdict = evaluateTargetGuard(
      { uri: URI, db },
      { ...options, protectedDbs: ['prod_app'], source: { uri: 'mongodb://STAGING.internal.', db: 'app' } },
    );
    expect(verdict).toMatchObject({ allowed: false, rule, code });
  });

  it('ephemeral names pass without options; the pattern is configurable', () => {
    expect(evaluateTargetGuard({ uri: URI, db: 'app_pr_123' })).toMatchObject({
      allowed: true,
      rule: 'ephemeral',
    });
    expect(evaluateTargetGuard({ uri: URI, db: 'app_pr_x' }).allowed).toBe(false);
    expect(
      evaluateTargetGuard({ uri: URI, db: 'preview-7' }, { ephemeralPattern: '^preview-[0-9]+$' }).allowed,
    ).toBe(true);
  });

  it('a long-lived target needs --allow-target and --confirm with its exact name', () => {
    const target = { uri: URI, db: 'app_staging' };
    expect(evaluateTargetGuard(target, { allowTargets: ['^app_staging$'] })).toMatchObject({
      rule: 'confirm-required',
      code: 'TARGET_CONFIRM_REQUIRED',
    });
    expect(
      evaluateTargetGuard(target, { allowTargets: ['^app_staging$'], confirm: 'APP_STAGING' }).allowed,
    ).toBe(false);
    expect(evaluateTargetGuard(target, { allowTargets: ['^other$'], confirm: 'app_staging' }).rule).toBe(
      'not-allowed',
    );
    expect(
      evaluateTargetGuard(target, { allowTargets: ['^app_staging$'], confirm: 'app_staging' }),
    ).toMatchObject({
      allowed: true,
      rule: 'allowed-confirmed',
    });
  });

  it('the source db on another server is not the source', () => {
    const verdict = evaluateTargetGuard(
      { uri: 'mongodb://staging.internal/', db: 'app_pr_1' },
      { source: { uri: 'mongodb://prod.internal/', db: 'app_pr_1' } },
    );
    expect(verdict.allowed).toBe(true);
  });

  it('an unparsable URI with the source db name fails closed', () => {
    const verdict = evaluateTargetGuard(
      { uri: 'not a uri', db: 'app_pr_1' },
      { source: { uri: 'mongodb://prod/', db: 'app_pr_1' } },
    );
    expect(verdict.rule).toBe('source-itself');
  });

  it('assertTargetAllowed throws a PolicyError naming the rule, labelled noWritesPerformed', () => {
    const verdict = evaluateTargetGuard({ uri: URI, db: 'admin' });
    try {
      assertTargetAllowed(verdict, 'admin');
      expect.unreachable();
    } catch (error) {
      expect(isDbforkError(error) && error.code).toBe('TARGET_PROTECTED');
      expect(isDbforkError(error) && error.subject.rule).toBe('system-db');
      expect(isDbforkError(error) && error.hasLabel('noWritesPerformed')).toBe(true);
      expect(isDbforkError(error) && error.exitCode).toBe(8);
    }
  });
});

describe('host normalization', () => {
  it('folds case, default port, seed order, credentials, options, trailing dots and loopback spellings', () => {
    const a = normalizeHosts('mongodb://u:p@DB1.example.com.,db2.example.com:27018/app?replicaSet=rs0');
    const b = normalizeHosts('MONGODB://db2.EXAMPLE.com:27018,db1.example.com:27017');
    expect(a?.keys).toEqual(['db1.example.com:27017', 'db2.example.com:27018']);
    expect(b?.keys).toEqual(a?.keys);
    expect(normalizeHosts('mongodb://localhost,[::1]:27017,127.0.0.1,2130706433/')?.keys).toEqual([
      'loopback:27017',
    ]);
    expect(normalizeHosts('mongodb+srv://Cluster0.ABC.mongodb.net./app')?.keys).toEqual([
      'srv:cluster0.abc.mongodb.net',
    ]);
  });

  it('refuses what it cannot parse', () => {
    expect(normalizeHosts('postgres://x')).toBeUndefined();
    expect(normalizeHosts('mongodb://host:99999/')).toBeUndefined();
    expect(normalizeHosts('mongodb:///')).toBeUndefined();
  });
});

describe('privileges (connectionStatus showPrivileges)', () => {
  it('finds which protected dbs a user can write', () => {
    const readWriteOwn = [{ resource: { db: 'app_pr_1', collection: '' }, actions: ['find', 'insert'] }];
    const readAnyWriteOwn = [...readWriteOwn, { resource: { db: '', collection: '' }, actions: ['find'] }];
    const readWriteAny = [{ resource: { db: '', collection: '' }, actions: ['insert', 'find'] }];
    const root = [{ resource: { anyResource: true }, actions: ['anyAction', 'insert'] }];
    expect(writableDatabases(readWriteOwn, ['prod'])).toEqual([]);
    expect(writableDatabases(readAnyWriteOwn, ['prod'])).toEqual([]);
    expect(writableDatabases(readWriteAny, ['prod', 'local'])).toEqual(['prod']);
    expect(writableDatabases(root, ['prod', 'local'])).toEqual(['prod', 'local']);
    expect(
      writableDatabases([{ resource: { db: 'PROD', collection: 'x' }, actions: ['remove'] }], ['prod']),
    ).toEqual(['prod']);
    expect(writableDatabases([{ resource: { cluster: true }, actions: ['insert'] }], ['prod'])).toEqual([]);
  });
});
