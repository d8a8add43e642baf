import { describe, expect, it } from 'vitest';
import { registerSecret } from '../../../src/core/redact.js';
import { isDbforkError } from '../../../src/errors/index.js';
import { Secret } from '../../../src/plan/secret.js';
import { parsePlan, serializePlan } from '../../../src/plan/serialize-plan.js';
import type { Plan } from '../../../src/plan/plan-schema.js';
import { plan, step } from './plan-kit.js';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return isDbforkError(error) ? error.code : String(error);
  }
  return undefined;
}

describe('plan files', () => {
  it('round-trips a plan holding references', () => {
    const p = plan([step('a', { params: { name: 'a', target: { env: 'DBFORK_TARGET_URI' } } })]);
    expect(parsePlan(serializePlan(p))).toEqual(p);
  });

  it('a plan holding a resolved secret cannot be serialised', () => {
    const secret = new Secret('s3cr3t-value-1', '$X');
    const p = { ...plan([step('a')]), preview: { uri: secret } } as unknown as Plan;
    expect(codeOf(() => serializePlan(p))).toBe('PLAN_HOLDS_SECRET');
    expect(String(secret)).toBe('***');
    expect(() => JSON.stringify({ secret })).toThrow(/cannot be serialised/);
  });

  it('refuses a literal connection string with a password, or any registered secret value', () => {
    const withPassword = plan([
      step('a', { params: { name: 'a', target: { uri: 'mongodb://app:hunter22@db:27017/' } } }),
    ]);
    expect(codeOf(() => serializePlan(withPassword))).toBe('PLAN_HOLDS_SECRET');
    const optionSecret = plan([
      step('a', { params: { name: 'a', target: { uri: 'mongodb://db/?password=x' } } }),
    ]);
    expect(codeOf(() => serializePlan(optionSecret))).toBe('PLAN_HOLDS_SECRET');
    registerSecret('key-material-0042');
    const leaked = plan([step('a', { description: 'uses key-material-0042' })]);
    expect(codeOf(() => serializePlan(leaked))).toBe('PLAN_HOLDS_SECRET');
    const clean = serializePlan(
      plan([step('a', { params: { name: 'a', target: { uri: 'mongodb://db:27017/' } } })]),
    );
    expect(clean).not.toMatch(/hunter22|key-material/);
  });

  it('refuses a file that is not JSON, another schemaVersion, or not a plan', () => {
    expect(codeOf(() => parsePlan('{', 'p.json'))).toBe('PLAN_INVALID');
    expect(codeOf(() => parsePlan(JSON.stringify({ ...plan([]), schemaVersion: 2 })))).toBe(
      'PLAN_UNSUPPORTED_VERSION',
    );
    expect(codeOf(() => parsePlan(JSON.stringify({ ...plan([]), operations: [{ id: 'a' }] })))).toBe(
      'PLAN_INVALID',
    );
    expect(codeOf(() => parsePlan(JSON.stringify({ ...plan([]), extra: 1 })))).toBe('PLAN_INVALID');
  });
});
