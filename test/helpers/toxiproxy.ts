import { spawn, type ChildProcess } from 'node:child_process';
import { freePort, waitForHttp } from './free-port.js';
import { testTool } from './servers.js';

/** A toxic as Toxiproxy's HTTP API takes it (https://github.com/Shopify/toxiproxy#toxics). */
export interface Toxic {
  readonly type: 'latency' | 'bandwidth' | 'timeout' | 'reset_peer' | 'limit_data' | 'slicer';
  readonly stream?: 'upstream' | 'downstream';
  readonly attributes: Record<string, number>;
  readonly name?: string;
}

/** One proxy of a running Toxiproxy: `uri` reaches the upstream MongoDB through it. */
export interface FaultProxy {
  readonly uri: string;
  add(toxic: Toxic): Promise<string>;
  remove(name: string): Promise<void>;
  clear(): Promise<void>;
}

/**
 * A real Toxiproxy server (built by scripts/test-tools/toxiproxy.sh) on a free loopback port, driven
 * through its HTTP API. `stop()` ends exactly the process it started.
 */
export class Toxiproxy {
  #child: ChildProcess | undefined;
  #api = '';
  #count = 0;

  async start(): Promise<void> {
    const port = await freePort();
    this.#api = `http://127.0.0.1:${port}`;
    this.#child = spawn(testTool('TOXIPROXY_BIN'), ['-host', '127.0.0.1', '-port', String(port)], {
      stdio: 'ignore',
    });
    await waitForHttp(`${this.#api}/version`);
  }

  async stop(): Promise<void> {
    const child = this.#child;
    if (!child || child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  }

  /** A proxy in front of the `mongodb://host:port/?…` server `upstreamUri` names; the URI keeps its options. */
  async proxy(upstreamUri: string): Promise<FaultProxy> {
    const match = /^mongodb:\/\/([^/?]+)(.*)$/.exec(upstreamUri);
    if (!match) throw new Error(`cannot proxy ${upstreamUri}`);
    const name = `p${++this.#count}`;
    const listen = `127.0.0.1:${await freePort()}`;
    await this.#call('POST', '/proxies', { name, listen, upstream: match[1], enabled: true });
    let toxics = 0;
    return {
      uri: `mongodb://${listen}${match[2]}`,
      add: async (toxic) => {
        const toxicName = toxic.name ?? `t${++toxics}`;
        await this.#call('POST', `/proxies/${name}/toxics`, {
          name: toxicName,
          type: toxic.type,
          stream: toxic.stream ?? 'downstream',
          toxicity: 1,
          attributes: toxic.attributes,
        });
        return toxicName;
      },
      remove: async (toxicName) => {
        await this.#call('DELETE', `/proxies/${name}/toxics/${toxicName}`);
      },
      clear: async () => {
        const list = (await (await fetch(`${this.#api}/proxies/${name}/toxics`)).json()) as {
          name: string;
        }[];
        for (const t of list) await this.#call('DELETE', `/proxies/${name}/toxics/${t.name}`);
      },
    };
  }

  async #call(method: string, path: string, body?: unknown): Promise<void> {
    const res = await fetch(`${this.#api}${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (!res.ok) throw new Error(`toxiproxy ${method} ${path}: ${res.status} ${await res.text()}`);
  }
}
