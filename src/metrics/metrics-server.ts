import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';

/** A running `/metrics` endpoint. */
export interface MetricsServer {
  /** The port it listens on (the one asked for, or the one the system gave for 0). */
  readonly port: number;
  close(): Promise<void>;
}

/**
 * Serve a registry's metrics at `GET /metrics` in the Prometheus text format (404 elsewhere, 405 for
 * other methods), on `host:port`.
 *
 * @throws the listen error as Node gives it (`EADDRINUSE`, `EACCES`)
 */
export async function serveMetrics(registry: Registry, port: number, host: string): Promise<MetricsServer> {
  const server = createServer((req, res) => {
    if (new URL(req.url ?? '/', 'http://x').pathname !== '/metrics') {
      res.writeHead(404).end('not found: metrics are at /metrics\n');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    registry.metrics().then(
      (text) => res.writeHead(200, { 'content-type': registry.contentType }).end(text),
      (error: Error) => res.writeHead(500).end(`${error.message}\n`),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
