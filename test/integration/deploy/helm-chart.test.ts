import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { kubernetesValidate, validateAgainstCrd } from '../../helpers/kube-validate.js';
import { runCli } from '../../helpers/run-cli.js';
import { REPO_ROOT, testTool } from '../../helpers/servers.js';

const CHART = join(REPO_ROOT, 'deploy/helm/dbfork');
const FULL = join(REPO_ROOT, 'test/fixtures/deploy/values-full.yaml');

interface Obj {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace: string };
}
const byKey = (yaml: string): Map<string, Obj> =>
  new Map(
    parseAllDocuments(yaml)
      .map((d) => d.toJS() as Obj | null)
      .filter((o): o is Obj => o !== null)
      .map((o) => [`${o.kind}/${o.metadata.namespace}/${o.metadata.name}`, o]),
  );

function helm(args: readonly string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(testTool('HELM_BIN'), args, {
    encoding: 'utf8',
    env: { ...process.env, HELM_CACHE_HOME: tmp, HELM_CONFIG_HOME: tmp, HELM_DATA_HOME: tmp },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
const tmp = mkdtempSync(join(tmpdir(), 'dbfork-helm-'));

/** Each case: the same settings as dbfork flags and as helm --set, plus an optional values file. */
const CASES = [
  { name: 'seed source, defaults', dbfork: ['--pr', '7'], helm: ['--set', 'pr.number=7'] },
  {
    name: 'snapshot source of a UTC day',
    dbfork: ['--pr', '12', '--source', 'snapshot', '--snapshot', '2026-01-09'],
    helm: ['--set', 'pr.number=12', '--set', 'pr.source=snapshot', '--set', 'pr.snapshot=2026-01-09'],
  },
  {
    name: 'locked',
    dbfork: ['--pr', '3', '--locked'],
    helm: ['--set', 'pr.number=3', '--set', 'pr.locked=true'],
  },
  {
    name: 'every option, seed volume',
    values: FULL,
    dbfork: ['--pr', '41'],
    helm: ['--set', 'pr.number=41'],
  },
  {
    name: 'every option, snapshot, ExternalSecret v1beta1',
    values: FULL,
    dbfork: ['--pr', '42', '--source', 'snapshot'],
    helm: ['--set', 'pr.number=42', '--set', 'pr.source=snapshot'],
    extra: 'secrets:\n  externalSecret:\n    apiVersion: external-secrets.io/v1beta1\n',
  },
];

describe('the Helm chart (real helm v3) and dbfork preview manifests', () => {
  it('helm lint passes', () => {
    const r = helm(['lint', CHART, '--strict', '--set', 'pr.number=1']);
    expect(r.stdout + r.stderr).toContain('1 chart(s) linted, 0 chart(s) failed');
    expect(r.code).toBe(0);
  });

  for (const c of CASES) {
    it(`helm template renders the same manifests as dbfork preview manifests: ${c.name}`, async () => {
      const files: string[] = [];
      if (c.values) files.push(c.values);
      if (c.extra) {
        const extra = join(tmp, `extra-${c.dbfork[1]}.yaml`);
        writeFileSync(extra, c.extra);
        files.push(extra);
      }
      const valueArgs = files.flatMap((f) => ['--values', f]);
      const rendered = helm(['template', 'preview', CHART, ...valueArgs, ...c.helm]);
      expect(rendered.stderr).toBe('');
      const cli = await runCli(['preview', 'manifests', ...valueArgs, ...c.dbfork]);
      expect(cli.stderr).toBe('');
      expect(cli.code).toBe(0);
      const fromHelm = byKey(rendered.stdout);
      const fromCli = byKey(cli.stdout);
      expect([...fromHelm.keys()].sort()).toEqual([...fromCli.keys()].sort());
      for (const [key, object] of fromCli) expect(fromHelm.get(key), key).toEqual(object);
      expect(fromCli.size).toBeGreaterThanOrEqual(3);

      // The same manifests pass schema validation for their kinds.
      const file = join(tmp, `rendered-${c.dbfork[1]}.yaml`);
      writeFileSync(file, cli.stdout);
      const builtIn = kubernetesValidate([file]);
      expect(builtIn.output).not.toMatch(/ERROR/);
      expect(builtIn.code).toBe(0);
      const objects = [...fromCli.values()];
      const users = objects.filter((o) => o.kind === 'AtlasDatabaseUser');
      expect(users).toHaveLength(1);
      expect(validateAgainstCrd('atlas.mongodb.com_atlasdatabaseusers.yaml', 'v1', users)).toEqual([[]]);
      for (const u of users as unknown as { spec: Record<string, unknown> }[])
        expect('projectRef' in u.spec !== 'externalProjectRef' in u.spec).toBe(true); // the CRD's CEL rule
      const secrets = objects.filter((o) => o.kind === 'ExternalSecret');
      for (const s of secrets) {
        const version = s.apiVersion.split('/')[1] ?? '';
        expect(validateAgainstCrd('external-secrets.io_externalsecrets.yaml', version, [s])).toEqual([[]]);
      }
      expect(secrets.length).toBe(c.values ? 3 : 0);
    });
  }

  it('the validators reject what their kinds do not allow', () => {
    const bad = join(tmp, 'bad.yaml');
    writeFileSync(
      bad,
      'apiVersion: batch/v1\nkind: Job\nmetadata: {name: x}\nspec: {activeDeadlineSeconds: soon}\n',
    );
    expect(kubernetesValidate([bad]).code).not.toBe(0);
    const user = { apiVersion: 'atlas.mongodb.com/v1', kind: 'AtlasDatabaseUser', metadata: {} };
    const [errors] = validateAgainstCrd('atlas.mongodb.com_atlasdatabaseusers.yaml', 'v1', [
      { ...user, spec: { username: 'u', roles: [{ roleName: 'read' }], colour: 'blue' } },
    ]);
    expect(errors).toEqual(
      expect.arrayContaining([expect.stringMatching(/databaseName/), expect.stringMatching(/colour/)]),
    );
  });

  it('dbfork preview manifests --output writes one file per object', async () => {
    const out = join(tmp, 'out');
    const r = await runCli(['--json', 'preview', 'manifests', '--pr', '8', '--output', out]);
    expect(r.code).toBe(0);
    const files = (JSON.parse(r.stdout.trim()) as { result: { files: string[] } }).result.files;
    expect(files.map((f) => f.slice(out.length + 1)).sort()).toEqual([
      'atlasdatabaseuser-app-pr-8.yaml',
      'cronjob-dbfork-snapshot-producer.yaml',
      'job-dbfork-cleanup-pr-8.yaml',
      'job-dbfork-restore-pr-8.yaml',
    ]);
    expect(kubernetesValidate(files).code).toBe(0);
  });

  it('helm refuses the values dbfork refuses (values.schema.json)', async () => {
    const file = join(tmp, 'bad-for-both.yaml');
    writeFileSync(file, 'restore:\n  backoffLimit: -1\n');
    const rendered = helm(['template', 'preview', CHART, '--values', file, '--set', 'pr.number=4']);
    expect(rendered.code).not.toBe(0);
    expect(rendered.stderr).toContain('/restore/backoffLimit');
    const cli = await runCli(['preview', 'manifests', '--pr', '4', '--values', file]);
    expect(cli.code).toBe(2);
    expect(cli.stderr).toContain('restore.backoffLimit');
  });

  it('a bad values file fails with its file, line and field path, and renders nothing', async () => {
    const file = join(tmp, 'bad-values.yaml');
    writeFileSync(file, 'producer:\n  schedule: "0 3 * * 0"\n  backoffLimit: many\n');
    const r = await runCli(['preview', 'manifests', '--pr', '8', '--values', file]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`${file}:3:3:`);
    expect(r.stderr).toContain('producer.backoffLimit');
  });
});
