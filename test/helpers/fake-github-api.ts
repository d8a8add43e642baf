import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One API call as the server received it. */
export interface RecordedCall {
  readonly method: string;
  /** Path and query, e.g. `/repos/o/r/issues/2/comments?per_page=100`. */
  readonly url: string;
  readonly body: unknown;
  readonly authorization: string | undefined;
}

/**
 * A local HTTP server answering the GitHub REST routes the Action calls, with the payload shapes
 * GitHub (and so Octokit) uses, on one repository's issues: list, create and update comments; add
 * and remove labels. It keeps the comments it was given and those posted, and records every call.
 */
export interface FakeGitHubApi {
  readonly url: string;
  readonly calls: RecordedCall[];
  readonly comments: { id: number; body: string }[];
  close(): Promise<void>;
}

export async function startFakeGitHubApi(
  repo: string,
  issue: number,
  comments: { id: number; body: string }[] = [],
): Promise<FakeGitHubApi> {
  const calls: RecordedCall[] = [];
  const state = { comments: [...comments], labels: new Set<string>(), nextId: 9001 };
  const base = `/repos/${repo}/issues`;
  const server: Server = createServer((req, res) => {
    void readBody(req).then((body) => {
      calls.push({
        method: req.method ?? '',
        url: req.url ?? '',
        body,
        authorization: req.headers.authorization,
      });
      const path = (req.url ?? '').split('?')[0] ?? '';
      const send = (status: number, data: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
        res.end(JSON.stringify(data));
      };
      const comment = (c: { id: number; body: string }) => ({
        id: c.id,
        node_id: `IC_${c.id}`,
        url: `https://api.github.com${base.replace('/issues', '')}/issues/comments/${c.id}`,
        html_url: `https://github.com/${repo}/pull/${issue}#issuecomment-${c.id}`,
        body: c.body,
        user: { login: 'github-actions[bot]', id: 41898282, type: 'Bot' },
        created_at: '2026-12-02T00:00:00Z',
        updated_at: '2026-12-02T00:00:00Z',
      });
      const label = (name: string) => ({
        id: name.length,
        node_id: `LA_${name}`,
        name,
        color: 'ededed',
        default: false,
      });
      const b = body as { body?: string; labels?: string[] } | null;
      if (req.method === 'GET' && path === `${base}/${issue}/comments`)
        return send(200, state.comments.map(comment));
      if (req.method === 'POST' && path === `${base}/${issue}/comments` && typeof b?.body === 'string') {
        const c = { id: state.nextId++, body: b.body };
        state.comments.push(c);
        return send(201, comment(c));
      }
      const patch = new RegExp(`^${base}/comments/(\\d+)$`).exec(path);
      if (req.method === 'PATCH' && patch && typeof b?.body === 'string') {
        const c = state.comments.find((x) => x.id === Number(patch[1]));
        if (!c) return send(404, { message: 'Not Found' });
        c.body = b.body;
        return send(200, comment(c));
      }
      if (req.method === 'POST' && path === `${base}/${issue}/labels` && Array.isArray(b?.labels)) {
        for (const l of b.labels) state.labels.add(l);
        return send(200, [...state.labels].map(label));
      }
      const del = new RegExp(`^${base}/${issue}/labels/([^/]+)$`).exec(path);
      if (req.method === 'DELETE' && del) {
        state.labels.delete(decodeURIComponent(del[1] ?? ''));
        return send(200, [...state.labels].map(label));
      }
      send(404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    comments: state.comments,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text === '' ? null : (JSON.parse(text) as unknown);
}
