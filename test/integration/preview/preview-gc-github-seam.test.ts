import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/run-cli.js';
import { testServers } from '../../helpers/servers.js';

// Seam: no GitHub runs here, so a local HTTP server answers GET /repos/{owner}/{repo}/pulls/{number}
// with the shape GitHub's REST API returns (the fields gc reads: number, state, labels[].name).
const servers = testServers();
const base = 800000 + Math.floor(Math.random() * 90000) * 10;
const closed = base;
const closedLocked = base + 1;
const closedLockRecord = base + 2;
const open = base + 3;
const pulls = new Map<number, { state: string; labels: string[] }>([
  [closed, { state: 'closed', labels: ['preview'] }],
  [closedLocked, { state: 'closed', labels: ['preview', 'persist-db'] }],
  [closedLockRecord, { state: 'closed', labels: [] }],
  [open, { state: 'open', labels: ['preview'] }],
]);
const seen: { url: string; headers: IncomingHttpHeaders }[] = [];

let github: Server;
let api: string;
let target: MongoClient;

beforeAll(async () => {
  github = createServer((req, res) => {
    seen.push({ url: req.url ?? '', headers: req.headers });
    const m = /^\/repos\/acme\/shop\/pulls\/(\d+)$/.exec(req.url ?? '');
    const pull = m ? pulls.get(Number(m[1])) : undefined;
    if (!m || !pull) {
      res
        .writeHead(404, { 'content-type': 'application/json' })
        .end(JSON.stringify({ message: 'Not Found' }));
      return;
    }
    const body = {
      url: `https://api.github.com/repos/acme/shop/pulls/${m[1]}`,
      number: Number(m[1]),
      state: pull.state,
      locked: false,
      title: 'a change',
      labels: pull.labels.map((name, id) => ({ id, name, color: 'ededed', default: false })),
      merged: false,
    };
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => github.listen(0, '127.0.0.1', resolve));
  api = `http://127.0.0.1:${(github.address() as AddressInfo).port}`;
  target = await MongoClient.connect(servers.targetUri);
  for (const pr of pulls.keys()) await target.db(`app_pr_${pr}`).collection('things').insertOne({ pr });
  await target
    .db(`app_pr_${closedLockRecord}`)
    .collection('snapshot_metadata')
    .insertOne({
      _id: 'lock' as never,
      locked: true,
      pr: closedLockRecord,
      label: 'persist-db',
      lockedAt: new Date(),
    });
});

afterAll(async () => {
  for (const pr of pulls.keys()) await target.db(`app_pr_${pr}`).dropDatabase();
  await target.close();
  await new Promise((resolve) => github.close(resolve));
});

async function exists(pr: number): Promise<boolean> {
  return (await target.db(`app_pr_${pr}`).listCollections().toArray()).length > 0;
}

interface Row {
  db: string;
  state: string;
  locked: boolean;
  action: string;
}

describe('dbfork preview gc against a local GitHub pulls seam', () => {
  const gc = (...flags: string[]) =>
    runCli(
      [
        'preview',
        'gc',
        '--repo',
        'acme/shop',
        '--github-api-url',
        api,
        '--target-uri',
        servers.targetUri,
        ...flags,
        '--json',
      ],
      {
        env: { GITHUB_TOKEN: 'test-token-123' },
      },
    );

  it('without --confirm: lists closed, unlocked PR databases and drops nothing', async () => {
    const res = await gc();
    expect(res.code, res.stderr).toBe(0);
    const lines = res.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { type?: string; result?: { databases: Row[] } });
    const rows =
      lines
        .find((l) => l.type === 'result')
        ?.result?.databases.filter((r) => pulls.has(Number(r.db.slice(7)))) ?? [];
    expect(
      rows.map((r) => `${r.db}:${r.state}:${r.locked ? 'locked' : 'unlocked'}:${r.action}`).sort(),
    ).toEqual(
      [
        `app_pr_${closed}:closed:unlocked:drop`,
        `app_pr_${closedLocked}:closed:locked:keep`,
        `app_pr_${closedLockRecord}:closed:locked:keep`,
        `app_pr_${open}:open:unlocked:keep`,
      ].sort(),
    );
    for (const pr of pulls.keys()) expect(await exists(pr)).toBe(true);
    const call = seen.find((s) => s.url === `/repos/acme/shop/pulls/${closed}`);
    expect(call?.headers.authorization).toBe('Bearer test-token-123');
    expect(call?.headers.accept).toBe('application/vnd.github+json');
  });

  it('with --confirm: drops exactly the closed, unlocked one', async () => {
    const res = await gc('--confirm');
    expect(res.code, res.stderr).toBe(0);
    expect(await exists(closed)).toBe(false);
    expect(await exists(closedLocked)).toBe(true);
    expect(await exists(closedLockRecord)).toBe(true);
    expect(await exists(open)).toBe(true);
  });
});
