import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderAccessPlan } from '../../../src/pipeline/access/render-access-plan.js';
import { accessPlan, CLUSTER_WIDE_ROLES, type AccessPlanRequest } from '../../../src/policy/access-plan.js';
import { REPO_ROOT } from '../../helpers/servers.js';

const GOLDEN = join(REPO_ROOT, 'test', 'fixtures', 'access', 'golden');
const golden = (name: string) => readFileSync(join(GOLDEN, name), 'utf8');

const base = { prodDb: 'syrftest', snapshotDb: 'syrf_snapshot' };
const cases: [string, AccessPlanRequest, { cluster: string; namespace: string }][] = [
  ['producer.txt', { role: 'producer', ...base }, { cluster: '', namespace: 'default' }],
  [
    'restore-pr-123.txt',
    { role: 'restore', ...base, prDb: 'syrf_pr_123' },
    { cluster: 'Cluster0', namespace: 'pr-123' },
  ],
  [
    'cleanup-pr-123.txt',
    { role: 'cleanup', ...base, prDb: 'syrf_pr_123' },
    { cluster: '', namespace: 'default' },
  ],
];

describe('access plan', () => {
  it.each(cases)('%s equals its golden file', (file, request, atlas) => {
    const text = renderAccessPlan(accessPlan(request), { ...atlas, projectRef: 'atlas-project' });
    expect(text.trimEnd() + '\n').toBe(golden(file));
  });

  it('grants the seed roles: producer read prod + readWrite/dbAdmin snapshot; restore read snapshot + its own db', () => {
    expect(accessPlan({ role: 'producer', ...base }).grants).toEqual([
      { role: 'read', db: 'syrftest' },
      { role: 'readWrite', db: 'syrf_snapshot' },
      { role: 'dbAdmin', db: 'syrf_snapshot' },
    ]);
    const restore = accessPlan({ role: 'restore', ...base, prDb: 'syrf_pr_123' });
    expect(restore.grants).toEqual([
      { role: 'readWrite', db: 'syrf_pr_123' },
      { role: 'dbAdmin', db: 'syrf_pr_123' },
      { role: 'read', db: 'syrf_snapshot' },
    ]);
    expect(restore.protectedDbs).toEqual(['syrftest', 'syrf_snapshot']);
    expect(restore.user).toBe('syrf-pr-123-user');
  });

  it.each(cases)('%s: nothing beyond read on production, no cluster-wide role', (_file, request) => {
    const plan = accessPlan(request);
    expect(plan.grants.filter((g) => g.db === 'syrftest').every((g) => g.role === 'read')).toBe(true);
    const text = renderAccessPlan(plan, { cluster: '', namespace: 'x', projectRef: 'p' });
    const granted = [...text.matchAll(/role(?:Name)?"?: ['"]?(\w+)/g)].map((m) => m[1]);
    expect(granted.length).toBe(plan.grants.length * 3);
    expect(granted.filter((r) => CLUSTER_WIDE_ROLES.includes(r ?? ''))).toEqual([]);
    expect(new Set(granted)).toEqual(new Set(plan.grants.map((g) => g.role)));
  });

  it('refuses a request whose databases coincide (the PR database cannot be production)', () => {
    expect(() => accessPlan({ role: 'restore', ...base, prDb: 'syrftest' })).toThrow(/must differ/);
    expect(() => accessPlan({ role: 'restore', ...base })).toThrow(/--pr/);
  });
});
