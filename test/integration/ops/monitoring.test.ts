import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { parse, stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { runCli } from '../../helpers/run-cli.js';
import { REPO_ROOT, testServers, testTool, uniqueDbName } from '../../helpers/servers.js';

const servers = testServers();
const MONITORING = join(REPO_ROOT, 'deploy/monitoring');
const RULES = join(MONITORING, 'dbfork-alerts.rules.yml');

/** The dashboard JSON model as Grafana reads it: what a panel needs to load and query. */
const DashboardSchema = z.object({
  title: z.string().min(1),
  uid: z.string().min(1),
  schemaVersion: z.number().int().min(36),
  time: z.object({ from: z.string(), to: z.string() }),
  templating: z.object({ list: z.array(z.object({ name: z.string(), type: z.string() })) }),
  panels: z
    .array(
      z.object({
        id: z.number().int(),
        type: z.enum(['timeseries', 'stat', 'table', 'gauge', 'bargauge']),
        title: z.string().min(1),
        gridPos: z.object({ h: z.number(), w: z.number().max(24), x: z.number().max(23), y: z.number() }),
        datasource: z.object({ type: z.literal('prometheus'), uid: z.string() }),
        targets: z.array(z.object({ refId: z.string(), expr: z.string().min(1) })).min(1),
      }),
    )
    .min(5),
});

const metricNames = (expr: string): string[] => [...expr.matchAll(/\bdbfork_[a-z_]+\b/g)].map((m) => m[0]);
const promtool = (args: string[], cwd = MONITORING) =>
  spawnSync(testTool('PROMTOOL_BIN'), args, { cwd, encoding: 'utf8' });

describe('the Grafana dashboard and the alert rules over the metrics real runs export', () => {
  const db = uniqueDbName('mon_src');
  const targetDb = `${uniqueDbName('mon')}_pr_1`;
  const dir = mkdtempSync(join(tmpdir(), 'dbfork-monitoring-'));
  const store = join(dir, 'store');
  const source = new MongoClient(servers.sourceUri);
  const target = new MongoClient(servers.targetUri);
  const exported = new Set<string>();
  const env = { DBFORK_AUDIT_FALLBACK: join(dir, 'pending.jsonl') };

  beforeAll(async () => {
    await source
      .db(db)
      .collection('items')
      .insertMany(Array.from({ length: 40 }, (_, i) => ({ i })));
    const textfile = (name: string) => ['--metrics-textfile', join(dir, `${name}.prom`)];
    const runs = [
      [
        'snapshot',
        'create',
        '--uri',
        servers.sourceUri,
        '--db',
        db,
        '--name',
        'mon',
        '--store',
        store,
        '--no-anonymize',
        ...textfile('create'),
      ],
      [
        'restore',
        '--snapshot',
        'mon@latest',
        '--store',
        store,
        '--to',
        servers.targetUri,
        '--db',
        targetDb,
        '--no-anonymize',
        ...textfile('restore'),
      ],
      ['snapshot', 'prune', '--store', store, '--name', 'mon', '--keep-last', '3', ...textfile('prune')],
    ];
    let text = '';
    for (const args of runs) {
      const res = await runCli(args, { env });
      expect(res.code, res.stderr).toBe(0);
    }
    for (const name of ['create', 'restore', 'prune'])
      text += readFileSync(join(dir, `${name}.prom`), 'utf8');
    text += (await runCli(['backup', 'status', '--store', store, '--prometheus'], { env })).stdout;
    for (const m of text.matchAll(/^# TYPE (\w+) /gm)) exported.add(m[1]!);
  }, 240_000);

  afterAll(async () => {
    await source.db(db).dropDatabase();
    await target.db(targetDb).dropDatabase();
    await Promise.all([source.close(), target.close()]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('the real runs exported the run, store and backup metrics', () => {
    expect([...exported].sort()).toEqual(
      expect.arrayContaining([
        'dbfork_run_success',
        'dbfork_run_bytes',
        'dbfork_run_duration_seconds',
        'dbfork_last_success_timestamp_seconds',
        'dbfork_store_bytes',
        'dbfork_store_snapshots',
        'dbfork_backup_healthy',
      ]),
    );
  });

  it('the dashboard parses as a Grafana dashboard model and queries only exported metrics, in valid PromQL', () => {
    const dashboard = DashboardSchema.parse(
      JSON.parse(readFileSync(join(MONITORING, 'dbfork-dashboard.json'), 'utf8')),
    );
    const exprs = dashboard.panels.flatMap((p) => p.targets.map((t) => t.expr));
    expect(new Set(dashboard.panels.map((p) => p.id)).size).toBe(dashboard.panels.length);
    for (const expr of exprs) {
      const names = metricNames(expr);
      expect(names.length, expr).toBeGreaterThan(0);
      for (const name of names) expect(exported, `${name} in ${expr}`).toContain(name);
    }
    // every query parsed by Prometheus itself: as recording rules, with the variable filled in
    const asRules = join(dir, 'dashboard-queries.yml');
    const rules = exprs.map((expr, i) => ({
      record: `dbfork:panel_${i}`,
      expr: expr.replaceAll('$database', '.*'),
    }));
    writeFileSync(asRules, stringify({ groups: [{ name: 'dashboard', rules }] }));
    const checked = promtool(['check', 'rules', asRules]);
    expect(checked.stdout + checked.stderr).toContain(`SUCCESS: ${exprs.length} rules found`);
  });

  it('promtool check rules passes on the alert rules, which name only exported metrics', () => {
    const checked = promtool(['check', 'rules', RULES]);
    expect(checked.status, checked.stdout + checked.stderr).toBe(0);
    const rules = (
      parse(readFileSync(RULES, 'utf8')) as { groups: { rules: { alert: string; expr: string }[] }[] }
    ).groups.flatMap((g) => g.rules);
    expect(rules.map((r) => r.alert)).toEqual(
      expect.arrayContaining([
        'DbforkSnapshotStale',
        'DbforkProducerFailing',
        'DbforkRestoreFailed',
        'DbforkStoreUsageHigh',
      ]),
    );
    for (const r of rules)
      for (const name of metricNames(r.expr)) expect(exported, `${name} in ${r.alert}`).toContain(name);
  });

  it('promtool test rules fires the stale-snapshot alert on a recorded series (and fails when it would not)', () => {
    const tested = promtool(['test', 'rules', 'dbfork-alerts.test.yml']);
    expect(tested.status, tested.stdout + tested.stderr).toBe(0);
    expect(tested.stdout).toContain('SUCCESS');
    // the same tests against rules whose threshold is ten times later: the expected alert is missing
    const lax = join(dir, 'lax.rules.yml');
    writeFileSync(lax, readFileSync(RULES, 'utf8').replace('> 26 * 3600', '> 260 * 3600'));
    const tests = join(dir, 'lax.test.yml');
    writeFileSync(
      tests,
      readFileSync(join(MONITORING, 'dbfork-alerts.test.yml'), 'utf8').replace(
        'dbfork-alerts.rules.yml',
        lax,
      ),
    );
    const failed = promtool(['test', 'rules', tests], dir);
    expect(failed.status).not.toBe(0);
    expect(failed.stdout + failed.stderr).toMatch(/alertname: DbforkSnapshotStale/);
  });

  it("the Helm chart's copy of the rules is the same file", () => {
    expect(readFileSync(join(REPO_ROOT, 'deploy/helm/dbfork/files/dbfork-alerts.rules.yml'), 'utf8')).toBe(
      readFileSync(RULES, 'utf8'),
    );
  });
});
