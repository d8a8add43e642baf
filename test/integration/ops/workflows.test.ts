import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { kubernetesValidate } from '../../helpers/kube-validate.js';
import { REPO_ROOT, testTool } from '../../helpers/servers.js';

const CHART = join(REPO_ROOT, 'deploy/helm/dbfork');
const tmp = mkdtempSync(join(tmpdir(), 'dbfork-workflows-'));

interface Step {
  name: string;
  env?: Record<string, string>;
  run?: string;
}
interface Workflow {
  jobs: Record<string, { env?: Record<string, string>; steps: Step[] }>;
}

function helm(args: readonly string[]): string {
  const r = spawnSync(testTool('HELM_BIN'), args, {
    encoding: 'utf8',
    env: { ...process.env, HELM_CACHE_HOME: tmp, HELM_CONFIG_HOME: tmp, HELM_DATA_HOME: tmp },
  });
  expect(r.status, r.stderr).toBe(0);
  return r.stdout;
}

const ENABLED = [
  ...['--set', 'operations.staging.enabled=true', '--set', 'operations.retention.enabled=true'],
  ...[
    '--set',
    'operations.prometheusRule.enabled=true',
    '--set',
    'operations.prometheusRule.labels.release=kps',
  ],
];
const objects = (yaml: string) =>
  parseAllDocuments(yaml)
    .map(
      (d) => d.toJS() as { kind: string; metadata: { name: string }; spec: Record<string, unknown> } | null,
    )
    .filter((o) => o !== null);

/**
 * Run a workflow job's `run:` steps in order the way GitHub Actions does (`bash -e -o pipefail`,
 * stopping at the first failing step), with `${{ … }}` in `env:` filled in from the inputs, vars,
 * secrets and run id given, `$GITHUB_ENV` carried between steps, and a recording `kubectl` first on
 * PATH (it answers `create job --dry-run=client -o json` with the CronJob's Job as helm renders it).
 */
function runJob(
  file: string,
  context: {
    inputs: Record<string, string>;
    vars?: Record<string, string>;
    cronJobs: Record<string, unknown>;
  },
): { failedStep: string | null; kubectl: string[][]; applied: unknown[]; stderr: string } {
  const dir = mkdtempSync(join(tmp, 'run-'));
  const log = join(dir, 'kubectl.log');
  const applied = join(dir, 'applied.jsonl');
  writeFileSync(join(dir, 'cronjobs.json'), JSON.stringify(context.cronJobs));
  const kubectl = join(dir, 'kubectl');
  writeFileSync(
    kubectl,
    `#!/usr/bin/env bash
printf '%s\\x1f' "$@" >> ${JSON.stringify(log)}; echo >> ${JSON.stringify(log)}
if [ "$1 $2" = "create job" ]; then
  from=$(printf '%s\\n' "$@" | sed -n 's|^--from=cronjob/||p')
  if printf '%s\\n' "$@" | grep -q -- '--dry-run=client'; then
    jq -c --arg name "$3" --arg from "$from" '.[$from] | {apiVersion: "batch/v1", kind: "Job", metadata: {name: $name}, spec: .spec.jobTemplate.spec}' ${JSON.stringify(join(dir, 'cronjobs.json'))}
  fi
fi
if [ "$1" = "apply" ]; then jq -c . >> ${JSON.stringify(applied)}; fi
exit 0
`,
  );
  chmodSync(kubectl, 0o755);
  const workflow = parse(readFileSync(file, 'utf8')) as Workflow;
  const job = Object.values(workflow.jobs)[0]!;
  const fill = (value: string): string =>
    value.replace(/\$\{\{\s*(.+?)\s*\}\}/g, (_m, expr: string) => {
      const [first, fallback] = expr.split('||').map((p) => p.trim());
      const [scope, key] = (first ?? '').split('.');
      const found =
        scope === 'inputs'
          ? context.inputs[key!]
          : scope === 'vars'
            ? context.vars?.[key!]
            : scope === 'secrets'
              ? 'apiVersion: v1\nkind: Config\n'
              : scope === 'github' && key === 'run_id'
                ? '4242'
                : undefined;
      return found ?? (fallback ? fallback.replace(/^'|'$/g, '') : '');
    });
  const githubEnv = join(dir, 'github.env');
  writeFileSync(githubEnv, '');
  const base = Object.fromEntries(Object.entries(job.env ?? {}).map(([k, v]) => [k, fill(v)]));
  let stderr = '';
  let failedStep: string | null = null;
  for (const step of job.steps) {
    if (step.run === undefined) continue;
    const carried = Object.fromEntries(
      readFileSync(githubEnv, 'utf8')
        .split('\n')
        .filter((l) => l.includes('='))
        .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
    );
    const env = {
      PATH: `${dir}:${process.env.PATH ?? ''}`,
      HOME: dir,
      RUNNER_TEMP: dir,
      GITHUB_ENV: githubEnv,
      GITHUB_STEP_SUMMARY: join(dir, 'summary.md'),
      ...base,
      ...carried,
      ...Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, fill(v)])),
    };
    const r = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', step.run], {
      env,
      encoding: 'utf8',
    });
    stderr += r.stderr;
    if (r.status !== 0) {
      failedStep = step.name;
      break;
    }
  }
  const lines = (f: string) =>
    existsSync(f)
      ? readFileSync(f, 'utf8')
          .split('\n')
          .filter((l) => l.trim())
      : [];
  return {
    failedStep,
    kubectl: lines(log).map((l) => l.split('\x1f').filter((a) => a !== '')),
    applied: lines(applied).map((l) => JSON.parse(l) as unknown),
    stderr,
  };
}

describe('staging refresh, on-demand snapshot and retention: workflows and the chart objects they start', () => {
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));
  const rendered = objects(helm(['template', 'ops', CHART, ...ENABLED]));
  const cronJobs = Object.fromEntries(
    rendered.filter((o) => o.kind === 'CronJob').map((o) => [o.metadata.name, o]),
  );
  const staging = join(REPO_ROOT, 'deploy/workflows/staging-refresh.yml');
  const onDemand = join(REPO_ROOT, 'deploy/workflows/snapshot-on-demand.yml');

  it('a mistyped staging confirmation stops at the confirmation step: kubectl is never run', () => {
    const run = runJob(staging, { inputs: { confirm: 'app_stagign', snapshot: 'latest' }, cronJobs });
    expect(run.failedStep).toBe('Confirm the target database');
    expect(run.stderr).toContain("type exactly 'app_staging' to go ahead; nothing was done");
    expect(run.kubectl).toEqual([]);
  });

  it('a typed value cannot inject a command into the confirmation step', () => {
    const marker = join(tmp, 'injected');
    const run = runJob(staging, {
      inputs: { confirm: `"; touch ${marker}; echo "`, snapshot: 'latest' },
      cronJobs,
    });
    expect(run.failedStep).toBe('Confirm the target database');
    expect(existsSync(marker)).toBe(false);
  });

  it('the right confirmation starts a Job from the staging CronJob: restore --replace of the chosen snapshot, guarded by the typed name', () => {
    const run = runJob(staging, {
      inputs: { confirm: 'app_staging', snapshot: '2026-12-01' },
      cronJobs,
    });
    expect(run.failedStep).toBeNull();
    // `kubectl create … --dry-run=client | kubectl apply -f -`: the two run at once, in either order
    expect(run.kubectl).toContainEqual(
      expect.arrayContaining([
        'create',
        'job',
        'dbfork-staging-refresh-4242',
        '--from=cronjob/dbfork-staging-refresh',
      ]),
    );
    const job = run.applied[0] as {
      kind: string;
      spec: { template: { spec: { containers: { args: string[] }[] } } };
    };
    expect(job.kind).toBe('Job');
    const args = job.spec.template.spec.containers[0]!.args;
    expect(args.slice(0, 2)).toEqual(['--json', 'restore']);
    expect(args[args.indexOf('--snapshot') + 1]).toBe('app@2026-12-01');
    expect(args[args.indexOf('--confirm') + 1]).toBe('app_staging');
    expect(args[args.indexOf('--db') + 1]).toBe('app_staging');
    expect(args).toContain('--replace');
    const file = join(tmp, 'staging-job.json');
    writeFileSync(file, JSON.stringify(job));
    expect(kubernetesValidate([file]).code).toBe(0);
    expect(run.kubectl.some((a) => a[0] === 'wait')).toBe(true);
  });

  it('on-demand snapshot: anything but "refresh-snapshot" stops before a Job is created; the word starts one from the producer CronJob', () => {
    const wrong = runJob(onDemand, { inputs: { confirm: 'refresh snapshot' }, cronJobs });
    expect(wrong.failedStep).toBe('Confirm');
    expect(wrong.kubectl).toEqual([]);
    const right = runJob(onDemand, { inputs: { confirm: 'refresh-snapshot' }, cronJobs });
    expect(right.failedStep).toBeNull();
    expect(right.kubectl).toEqual([
      [
        'create',
        'job',
        'dbfork-snapshot-manual-4242',
        '--from=cronjob/dbfork-snapshot-producer',
        '-n',
        'dbfork-system',
      ],
    ]);
  });

  it('the chart renders the staging (suspended, weekly schedule) and retention CronJobs and the PrometheusRule; all validate; none by default', () => {
    const staged = cronJobs['dbfork-staging-refresh'] as unknown as {
      spec: { suspend: boolean; schedule: string };
    };
    expect(staged.spec).toMatchObject({ suspend: true, schedule: '0 5 * * 1' });
    const retention = cronJobs['dbfork-snapshot-retention'] as unknown as {
      spec: { jobTemplate: { spec: { template: { spec: { containers: { args: string[] }[] } } } } };
    };
    expect(retention.spec.jobTemplate.spec.template.spec.containers[0]!.args).toEqual([
      ...['--json', 'snapshot', 'prune', '--store', 's3://dbfork-snapshots/app', '--name', 'app'],
      ...['--keep-daily', '7', '--keep-monthly', '3', '--keep-weekly', '4'],
    ]);
    const file = join(tmp, 'cronjobs.yaml');
    writeFileSync(
      file,
      Object.values(cronJobs)
        .map((o) => JSON.stringify(o))
        .join('\n---\n'),
    );
    const validated = kubernetesValidate([file]);
    expect(validated.output).not.toMatch(/ERROR/);
    expect(validated.code).toBe(0);
    const rule = rendered.find((o) => o.kind === 'PrometheusRule')!;
    expect((rule.metadata as unknown as { labels: Record<string, string> }).labels.release).toBe('kps');
    const rulesFile = parse(
      readFileSync(join(REPO_ROOT, 'deploy/monitoring/dbfork-alerts.rules.yml'), 'utf8'),
    ) as {
      groups: unknown;
    };
    expect(rule.spec.groups).toEqual(rulesFile.groups);
    const defaults = objects(helm(['template', 'ops', CHART]));
    expect(defaults.map((o) => o.metadata.name)).not.toEqual(
      expect.arrayContaining(['dbfork-staging-refresh']),
    );
    expect(
      defaults.some((o) => o.kind === 'PrometheusRule' || o.metadata.name === 'dbfork-snapshot-retention'),
    ).toBe(false);
    const linted = spawnSync(testTool('HELM_BIN'), ['lint', CHART, '--strict', ...ENABLED], {
      encoding: 'utf8',
      env: { ...process.env, HELM_CACHE_HOME: tmp, HELM_CONFIG_HOME: tmp, HELM_DATA_HOME: tmp },
    });
    expect(linted.status, linted.stdout + linted.stderr).toBe(0);
  });
});
