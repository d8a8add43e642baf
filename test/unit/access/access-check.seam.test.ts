import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkAccess } from '../../../src/pipeline/access/check-access.js';
import { accessPlan } from '../../../src/policy/access-plan.js';
import { REPO_ROOT } from '../../helpers/servers.js';

/** Recorded `connectionStatus {showPrivileges: true}` replies (no local server enforces roles). */
const recorded = (name: string) =>
  JSON.parse(
    readFileSync(join(REPO_ROOT, 'test', 'fixtures', 'access', `connection-status-${name}.json`), 'utf8'),
  ) as Record<string, unknown>;
const base = { prodDb: 'syrftest', snapshotDb: 'syrf_snapshot' };
const producer = accessPlan({ role: 'producer', ...base });
const restore = accessPlan({ role: 'restore', ...base, prDb: 'syrf_pr_123' });

describe('seam: access check over recorded connectionStatus documents', () => {
  it('flags the over-privileged producer: it can write production', async () => {
    const report = await checkAccess(producer, {
      kind: 'recorded',
      reply: recorded('producer-over-privileged'),
    });
    expect(report.writableProtected).toEqual(['syrftest']);
    expect(report.extra.map((f) => f.resource)).toEqual(['syrftest']);
    expect(report.extra[0]?.actions).toContain('insert');
  });

  it('flags a producer with a read grant beyond the plan, without calling it a production write', async () => {
    const report = await checkAccess(producer, { kind: 'recorded', reply: recorded('producer-extra-read') });
    expect(report.writableProtected).toEqual([]);
    expect(report.extra.map((f) => f.resource)).toEqual(['syrf_staging']);
    expect(report.missing).toEqual([]);
  });

  it('passes the correct producer: writes on the snapshot database are its role', async () => {
    const report = await checkAccess(producer, { kind: 'recorded', reply: recorded('producer-correct') });
    expect(report).toMatchObject({ privileges: 'checked', extra: [], missing: [], writableProtected: [] });
  });

  it('passes the correct PR user', async () => {
    const report = await checkAccess(restore, { kind: 'recorded', reply: recorded('pr-user-correct') });
    expect(report).toMatchObject({ privileges: 'checked', extra: [], missing: [], writableProtected: [] });
    expect(report.users).toEqual(['syrf-pr-123-user@admin']);
  });

  it('a restore user that can write the snapshot database is refused (the producer may, a restore may not)', async () => {
    const report = await checkAccess(restore, {
      kind: 'recorded',
      reply: recorded('pr-user-writes-snapshot'),
    });
    expect(report.writableProtected).toEqual(['syrf_snapshot']);
    expect(report.extra.map((f) => f.resource)).toEqual(['syrf_snapshot']);
  });

  it('readWriteAnyDatabase writes production and the snapshot, reaches every database and the cluster', async () => {
    const report = await checkAccess(restore, {
      kind: 'recorded',
      reply: recorded('read-write-any-database'),
    });
    expect(report.writableProtected).toEqual(['syrftest', 'syrf_snapshot']);
    expect(report.extra.map((f) => f.resource)).toEqual(['(every database)', '(cluster)']);
    expect(report.missing.map((m) => m.resource)).toEqual(['syrf_pr_123']);
  });

  it('no authenticated user: undetermined, nothing claimed', async () => {
    const report = await checkAccess(producer, {
      kind: 'recorded',
      reply: { authInfo: { authenticatedUsers: [] }, ok: 1 },
    });
    expect(report.privileges).toBe('undetermined');
  });
});
