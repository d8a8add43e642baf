import { describe, expect, it } from 'vitest';
import { processClock } from '../../../src/core/clock.js';
import { backupStatus } from '../../../src/pipeline/backup/backup-status.js';
import { appendAuditRecord, detectActor, readAuditDay } from '../../../src/store/audit-log.js';
import { recordBackupFailure } from '../../../src/store/backup-failures.js';
import { MemoryObjectStore } from '../../../src/store/memory/memory-object-store.js';

const failure = (failedAt: string, code: string) => ({
  name: 'shop',
  startedAt: failedAt,
  failedAt,
  attempts: 3,
  source: { uri: 'mongodb://h/', databases: ['shop'], allDatabases: false },
  error: { code, category: 'source', message: 'down' },
});

describe('backup objects in a store', () => {
  it('status: a name with only failures never succeeded, and shows its newest failure', async () => {
    const store = new MemoryObjectStore('memory://t');
    await recordBackupFailure(store, failure('2026-11-21T02:00:00.000Z', 'SOURCE_UNREACHABLE'));
    await recordBackupFailure(store, failure('2026-11-22T02:00:00.000Z', 'STORE_WRITE_FAILED'));
    const report = await backupStatus(store, {
      maxAgeMs: 3_600_000,
      now: () => new Date('2026-11-22T03:00:00Z'),
    });
    expect(report.healthy).toBe(false);
    expect(report.backups).toEqual([
      expect.objectContaining({
        name: 'shop',
        state: 'never',
        lastSuccess: null,
        lastFailure: expect.objectContaining({ code: 'STORE_WRITE_FAILED', ageMs: 3_600_000 }) as unknown,
      }),
    ]);
  });

  it('audit records are append-only objects under audit/<day>/', async () => {
    const store = new MemoryObjectStore('memory://t');
    const record = {
      schemaVersion: 1 as const,
      id: '20261122T020000000Z-0001',
      at: '2026-11-22T02:00:00.000Z',
      action: 'backup.restore',
      runId: 'r1',
      outcome: 'started' as const,
      actor: { kind: 'user' as const, name: 'alice', detail: {} },
      source: {},
      target: {},
    };
    expect(await appendAuditRecord(store, record)).toBe('audit/2026-11-22/20261122T020000000Z-0001.json');
    if (store.conditionalPut)
      await expect(appendAuditRecord(store, { ...record, outcome: 'succeeded' })).rejects.toMatchObject({
        code: 'STORE_PRECONDITION_FAILED',
      });
    expect((await readAuditDay(store, '2026-11-22')).map((r) => r.outcome)).toEqual(['started']);
  });

  it('the actor comes from the environment: explicit, GitHub Actions, Kubernetes, the OS user', () => {
    expect(detectActor({ DBFORK_ACTOR: 'oncall:bob' })).toMatchObject({
      kind: 'explicit',
      name: 'oncall:bob',
    });
    expect(
      detectActor({
        GITHUB_ACTIONS: 'true',
        GITHUB_ACTOR: 'octocat',
        GITHUB_RUN_ID: '42',
        GITHUB_REPOSITORY: 'o/r',
      }),
    ).toEqual({
      kind: 'github-actions',
      name: 'github:octocat',
      detail: { GITHUB_REPOSITORY: 'o/r', GITHUB_RUN_ID: '42' },
    });
    expect(
      detectActor({
        KUBERNETES_SERVICE_HOST: '10.0.0.1',
        POD_NAMESPACE: 'prod',
        POD_SERVICE_ACCOUNT: 'backup',
      }),
    ).toMatchObject({ kind: 'kubernetes', name: 'system:serviceaccount:prod:backup' });
    expect(detectActor({}).kind).toBe('user');
  });

  it('the process clock starts at DBFORK_TEST_NOW and advances', () => {
    const now = processClock({ DBFORK_TEST_NOW: '2026-11-22T02:00:00Z' })();
    expect(Math.abs(now.getTime() - Date.parse('2026-11-22T02:00:00Z'))).toBeLessThan(1000);
    expect(() => processClock({ DBFORK_TEST_NOW: 'tomorrow' })).toThrow(
      expect.objectContaining({ code: 'CONFIG_BAD_OPTION' }),
    );
  });
});
