import { createServer, type IncomingMessage, type Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../helpers/free-port.js';
import { runCli } from '../../helpers/run-cli.js';
import { testServers, uniqueDbName } from '../../helpers/servers.js';

const servers = testServers();

interface Received {
  path: string;
  body: Record<string, unknown>;
}

describe('--notify: completion and failure messages to a local webhook server', () => {
  const db = uniqueDbName('notify_src');
  const dir = mkdtempSync(join(tmpdir(), 'dbfork-notify-'));
  const env = { DBFORK_AUDIT_FALLBACK: join(dir, 'pending.jsonl') };
  const source = new MongoClient(servers.sourceUri);
  const received: Received[] = [];
  let server: Server;
  let base = '';

  beforeAll(async () => {
    await source
      .db(db)
      .collection('items')
      .insertMany(Array.from({ length: 25 }, (_, i) => ({ i })));
    server = createServer((req: IncomingMessage, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push({ path: req.url ?? '', body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
        res.writeHead(200).end('ok');
      });
    });
    const port = await freePort();
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${port}`;
  });

  afterAll(async () => {
    server.close();
    await source.db(db).dropDatabase();
    await source.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const create = (store: string, ...notify: string[]) =>
    runCli(
      [
        'snapshot',
        'create',
        '--uri',
        servers.sourceUri,
        '--db',
        db,
        '--store',
        store,
        '--no-anonymize',
        ...notify.flatMap((n) => ['--notify', n]),
      ],
      { env },
    );

  it('a success reaches a Slack-shaped and a plain JSON webhook with the run figures', async () => {
    const res = await create(join(dir, 'store'), `slack+${base}/slack/T000/B000/XXXX`, `${base}/json`);
    expect(res.code, res.stderr).toBe(0);
    const slack = received.find((r) => r.path.startsWith('/slack/'))!;
    expect(slack.body.text).toMatch(/^dbfork snapshot create succeeded: .* \(1 collections, 25 documents, /);
    const blocks = slack.body.blocks as { type: string; fields?: { text: string }[] }[];
    expect(blocks[0]?.type).toBe('section');
    expect(blocks[1]?.fields?.map((f) => f.text)).toContain('*Documents*\n25');
    expect(Object.keys(slack.body).sort()).toEqual(['blocks', 'text']);
    const json = received.find((r) => r.path === '/json')!;
    expect(json.body).toMatchObject({
      type: 'dbfork.run',
      schemaVersion: 1,
      command: 'snapshot create',
      outcome: 'succeeded',
      figures: { documents: 25, collections: [{ collection: 'items', documents: 25 }] },
    });
  });

  it('a failure is notified with its error code', async () => {
    received.length = 0;
    const blocked = join(dir, 'no-such-db-here');
    const res = await runCli(
      ['snapshot', 'show', 'missing@latest', '--store', blocked, '--notify', `${base}/json`],
      { env },
    );
    expect(res.code).not.toBe(0);
    expect(received[0]?.body).toMatchObject({ outcome: 'failed', error: { code: 'SNAPSHOT_NOT_FOUND' } });
  });

  it('with the webhook down the run still succeeds and warns once, within the bounded retries', async () => {
    const down = `http://127.0.0.1:${await freePort()}/hook`;
    const started = Date.now();
    const res = await create(join(dir, 'store-down'), down);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stderr.match(/NOTIFY_FAILED/g)?.length).toBe(1);
    expect(res.stderr).not.toContain('/hook'); // a webhook URL is a secret: only its host is named
    expect(Date.now() - started).toBeLessThan(20_000);
  });
});
