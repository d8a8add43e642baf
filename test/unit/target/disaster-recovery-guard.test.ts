import { describe, expect, it } from 'vitest';
import {
  evaluateDisasterRecoveryGuard,
  type DisasterRecoveryRequest,
} from '../../../src/target/guard/disaster-recovery-guard.js';

const base: DisasterRecoveryRequest = {
  target: { uri: 'mongodb://prod-1:27017/', db: 'shop' },
  disasterRecovery: true,
  encrypted: true,
  confirmations: ['shop', 'shop'],
  typed: null,
  existingCollections: 0,
  drop: false,
};
const rule = (over: Partial<DisasterRecoveryRequest>) =>
  evaluateDisasterRecoveryGuard({ ...base, ...over }).rule;

describe('the disaster-recovery guard', () => {
  it('allows a confirmed, encrypted restore into an empty database', () => {
    expect(evaluateDisasterRecoveryGuard(base)).toMatchObject({
      allowed: true,
      rule: 'disaster-recovery',
      code: null,
    });
  });

  it('never allows the system databases nor an invalid name', () => {
    expect(rule({ target: { uri: base.target.uri, db: 'Admin' }, confirmations: ['Admin', 'Admin'] })).toBe(
      'system-db',
    );
    expect(rule({ target: { uri: base.target.uri, db: 'a.b' } })).toBe('invalid-name');
  });

  it('refuses without the flag, from an unencrypted backup, and in that order', () => {
    expect(rule({ disasterRecovery: false, encrypted: false })).toBe('dr-not-requested');
    expect(rule({ encrypted: false })).toBe('dr-unencrypted');
  });

  it('without a terminal needs --confirm <db> twice; at one, once plus the typed name', () => {
    expect(rule({ confirmations: ['shop'] })).toBe('dr-not-confirmed');
    expect(rule({ confirmations: ['shop', 'Shop'] })).toBe('dr-not-confirmed');
    expect(rule({ confirmations: [] })).toBe('dr-not-confirmed');
    expect(rule({ confirmations: ['shop'], typed: 'shop' })).toBe('disaster-recovery');
    expect(rule({ confirmations: ['shop', 'shop'], typed: 'shpo' })).toBe('dr-not-confirmed');
    expect(rule({ confirmations: [], typed: 'shop' })).toBe('dr-not-confirmed');
    expect(evaluateDisasterRecoveryGuard({ ...base, confirmations: ['shop'] }).code).toBe('DR_NOT_CONFIRMED');
  });

  it('refuses a database that holds collections unless --drop', () => {
    expect(rule({ existingCollections: 3 })).toBe('dr-not-empty');
    expect(rule({ existingCollections: 3, drop: true })).toBe('disaster-recovery');
  });
});
