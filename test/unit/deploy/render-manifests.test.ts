import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { DEFAULT_DEPLOY_VALUES, type DeployValues } from '../../../src/deploy/deploy-values.js';
import type { KubeObject } from '../../../src/deploy/kube-object.js';
import { parseDeployValues } from '../../../src/deploy/load-deploy-values.js';
import { renderManifests } from '../../../src/deploy/render-manifests.js';
import { previewAccessRoles } from '../../../src/policy/preview-access-roles.js';
import { REPO_ROOT } from '../../helpers/servers.js';

const values = (pr: Record<string, unknown>, text?: string): DeployValues =>
  parseDeployValues(text === undefined ? [] : [{ text, file: 'values.yaml' }], { pr });
const find = (objects: KubeObject[], kind: string, component: string): KubeObject | undefined =>
  objects.find((o) => o.kind === kind && o.metadata.labels['app.kubernetes.io/component'] === component);

interface Container {
  args: string[];
  env: { name: string; valueFrom?: { secretKeyRef: { name: string } } }[];
  envFrom: { secretRef: { name: string } }[];
}
const containerOf = (job: KubeObject | undefined): Container => {
  const spec = job?.spec as { template?: { spec: { containers: Container[] } } } | undefined;
  const c = spec?.template?.spec.containers[0];
  if (!c) throw new Error('no container');
  return c;
};

describe('preview access roles', () => {
  it('grant readWrite and dbAdmin on the PR database, and read on the snapshot database only when given', () => {
    expect(previewAccessRoles({ prDatabase: 'app_pr_4' })).toEqual([
      { roleName: 'readWrite', databaseName: 'app_pr_4' },
      { roleName: 'dbAdmin', databaseName: 'app_pr_4' },
    ]);
    expect(previewAccessRoles({ prDatabase: 'app_pr_4', snapshotDatabase: 'app_snapshot' })).toContainEqual({
      roleName: 'read',
      databaseName: 'app_snapshot',
    });
    expect(() => previewAccessRoles({ prDatabase: 'x', snapshotDatabase: 'x' })).toThrow(/snapshot database/);
  });
});

describe('renderManifests', () => {
  it('gives the PR user read on the snapshot database only when the PR uses a snapshot', () => {
    const rolesOf = (source: string) =>
      (
        find(renderManifests(values({ number: 9, source })), 'AtlasDatabaseUser', 'database-user')?.spec as {
          roles: unknown[];
        }
      ).roles;
    expect(rolesOf('snapshot')).toEqual(
      previewAccessRoles({ prDatabase: 'app_pr_9', snapshotDatabase: 'app_snapshot' }),
    );
    expect(rolesOf('seed')).toEqual(previewAccessRoles({ prDatabase: 'app_pr_9' }));
    expect(JSON.stringify(rolesOf('seed'))).not.toContain('app_snapshot');
  });

  it('makes the restore Job an Argo CD PreSync hook in a wave after the database user, with a deadline', () => {
    const objects = renderManifests(values({ number: 9, source: 'snapshot', snapshot: '2026-01-09' }));
    const user = find(objects, 'AtlasDatabaseUser', 'database-user');
    const job = find(objects, 'Job', 'snapshot-restore');
    const ann = job?.metadata.annotations ?? {};
    expect(ann['argocd.argoproj.io/hook']).toBe('PreSync');
    expect(ann['argocd.argoproj.io/hook-delete-policy']).toBe('BeforeHookCreation');
    expect(Number(ann['argocd.argoproj.io/sync-wave'])).toBeGreaterThan(
      Number(user?.metadata.annotations?.['argocd.argoproj.io/sync-wave']),
    );
    expect(job?.spec).toMatchObject({ activeDeadlineSeconds: 900, backoffLimit: 3 });
    expect(containerOf(job).args).toEqual(
      expect.arrayContaining(['--snapshot', 'app@2026-01-09', '--db', 'app_pr_9', '--protect-db', 'app']),
    );
  });

  it('gives the restore and cleanup Jobs no anonymization key and no producer secret', () => {
    const objects = renderManifests(values({ number: 9, source: 'snapshot' }));
    for (const component of ['snapshot-restore', 'database-cleanup']) {
      const c = containerOf(find(objects, 'Job', component));
      expect(c.env.map((e) => e.name)).not.toContain('DBFORK_ANONYMIZATION_KEY');
      const secrets = [
        ...c.envFrom.map((e) => e.secretRef.name),
        ...c.env.map((e) => e.valueFrom?.secretKeyRef.name),
      ];
      expect(secrets).not.toContain(DEFAULT_DEPLOY_VALUES.secrets.producer);
      expect(c.args).not.toContain('--rules');
    }
    const producer = find(objects, 'CronJob', 'snapshot-producer');
    expect(JSON.stringify(producer)).toContain(DEFAULT_DEPLOY_VALUES.secrets.producer);
  });

  it('renders the producer CronJob with Forbid, deadlines and resources', () => {
    const cron = find(renderManifests(values({ number: 1 })), 'CronJob', 'snapshot-producer');
    expect(cron?.spec).toMatchObject({
      schedule: '0 3 * * 0',
      concurrencyPolicy: 'Forbid',
      startingDeadlineSeconds: 3600,
      jobTemplate: { spec: { activeDeadlineSeconds: 3600, backoffLimit: 2 } },
    });
    expect(
      containerOf({ ...cron!, spec: (cron!.spec as { jobTemplate: { spec: unknown } }).jobTemplate.spec })
        .args,
    ).toEqual(expect.arrayContaining(['snapshot', 'create', '--rules', '/etc/dbfork/rules/rules.yaml']));
  });

  it('renders a lock Job instead of the restore for a locked database, and the PreDelete cleanup Job always', () => {
    const objects = renderManifests(values({ number: 3, locked: true }));
    expect(find(objects, 'Job', 'snapshot-restore')).toBeUndefined();
    const lock = find(objects, 'Job', 'database-lock');
    expect(lock?.metadata.annotations?.['argocd.argoproj.io/hook']).toBe('PreSync');
    expect(containerOf(lock).args.slice(0, 5)).toEqual(['--json', 'preview', 'lock', '--pr', '3']);
    const restore = find(renderManifests(values({ number: 3 })), 'Job', 'snapshot-restore');
    const init = (restore?.spec as { template: { spec: { initContainers: Container[] } } }).template.spec
      .initContainers[0];
    expect(init?.args).toEqual(expect.arrayContaining(['preview', 'lock', '--unlock']));
    const cleanup = find(objects, 'Job', 'database-cleanup');
    expect(cleanup?.metadata.annotations?.['argocd.argoproj.io/hook']).toBe('PreDelete');
    expect(containerOf(cleanup).args.slice(0, 5)).toEqual(['--json', 'preview', 'cleanup', '--pr', '3']);
  });

  it('restores seed data from the seed volume with --no-anonymize', () => {
    const text = readFileSync(join(REPO_ROOT, 'test/fixtures/deploy/values-full.yaml'), 'utf8');
    const objects = renderManifests(values({ number: 5 }, text));
    const job = find(objects, 'Job', 'snapshot-restore');
    expect(containerOf(job).args).toEqual(expect.arrayContaining(['--in', '/seed/shop', '--no-anonymize']));
    expect(JSON.stringify(job)).toContain('"configMap":{"name":"shop-seed"}');
    expect(objects.filter((o) => o.kind === 'ExternalSecret').map((o) => o.metadata.name)).toEqual([
      'shop-producer',
      'shop-preview',
      'shop-pr-5-password',
    ]);
  });

  it('without a PR number renders only the producer', () => {
    expect(renderManifests(parseDeployValues([])).map((o) => o.kind)).toEqual(['CronJob']);
  });
});

describe('values files', () => {
  it('are the chart defaults: deploy/helm/dbfork/values.yaml equals DEFAULT_DEPLOY_VALUES', () => {
    const chart: unknown = parse(readFileSync(join(REPO_ROOT, 'deploy/helm/dbfork/values.yaml'), 'utf8'));
    expect(chart).toEqual(DEFAULT_DEPLOY_VALUES);
  });

  it('report the file, line and field path of a bad setting', () => {
    expect(() => values({ number: 1 }, 'restore:\n  syncWave: 3\n  backoffLimit: -1\n')).toThrow(
      /^values\.yaml:3:3: .* at restore\.backoffLimit$/,
    );
    expect(() => values({ number: 1 }, 'producer:\n  schedul: 1\n')).toThrow(/values\.yaml:2:3: .*schedul/);
    expect(() => values({ number: 1 }, 'pr: [\n')).toThrow(
      expect.objectContaining({ code: 'DEPLOY_VALUES_SYNTAX' }),
    );
  });
});
