import type { MongoClient } from 'mongodb';
import { clientCommandRunner, type CommandRunner } from './command-runner.js';
import { describeTopology, type Topology } from './describe-topology.js';
import { probeCapabilities, type Capability } from './probe-capabilities.js';

/** A collection as doctor lists it. `documents` is the server's estimated count (null for views). */
export interface CollectionSummary {
  readonly name: string;
  readonly type: string;
  readonly documents: number | null;
}

export interface DatabaseSummary {
  readonly name: string;
  /** On-disk size as the server reports it, in bytes. */
  readonly sizeOnDiskBytes: number | null;
  readonly collections: CollectionSummary[];
}

/** Everything `dbfork doctor` reports about one server. */
export interface DoctorReport {
  readonly server: { readonly version: string; readonly implementation: string | null };
  readonly topology: Topology;
  readonly databases: DatabaseSummary[];
  readonly capabilities: Capability[];
}

/**
 * Inspect a connected server: version, topology, databases with counts, and probed capabilities.
 * Reads only; the capability probes create nothing (see {@link probeCapabilities}).
 */
export async function runDoctor(
  client: MongoClient,
  run: CommandRunner = clientCommandRunner(client),
): Promise<DoctorReport> {
  const buildInfo = await run('admin', { buildInfo: 1 });
  const topology = await describeTopology(run);
  const databases = await listDatabases(client, run);
  const commands = await listCommandNames(run);
  const capabilities = await probeCapabilities(run, commands);
  return {
    server: {
      version: String(buildInfo.version ?? 'unknown'),
      implementation:
        typeof buildInfo.ferretdbVersion === 'string' ? `FerretDB ${buildInfo.ferretdbVersion}` : null,
    },
    topology,
    databases,
    capabilities,
  };
}

async function listCommandNames(run: CommandRunner): Promise<ReadonlySet<string> | null> {
  try {
    const reply = await run('admin', { listCommands: 1 });
    return new Set(Object.keys((reply.commands as Record<string, unknown> | undefined) ?? {}));
  } catch {
    return null;
  }
}

async function listDatabases(client: MongoClient, run: CommandRunner): Promise<DatabaseSummary[]> {
  const reply = await run('admin', { listDatabases: 1, nameOnly: false });
  const dbs = (reply.databases as { name: string; sizeOnDisk?: unknown }[] | undefined) ?? [];
  const out: DatabaseSummary[] = [];
  for (const db of dbs.sort((a, b) => a.name.localeCompare(b.name))) {
    const infos = await client.db(db.name).listCollections({}, { nameOnly: false }).toArray();
    const collections: CollectionSummary[] = [];
    for (const info of infos.sort((a, b) => a.name.localeCompare(b.name))) {
      const type = info.type ?? 'collection';
      const documents =
        type === 'collection'
          ? Number(await client.db(db.name).collection(info.name).estimatedDocumentCount())
          : null;
      collections.push({ name: info.name, type, documents });
    }
    out.push({
      name: db.name,
      sizeOnDiskBytes: db.sizeOnDisk == null ? null : Number(db.sizeOnDisk),
      collections,
    });
  }
  return out;
}
