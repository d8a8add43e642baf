import type { MongoClient } from 'mongodb';
import { clientCommandRunner, type CommandRunner } from './command-runner.js';
import { consistencySupport } from './consistency-support.js';
import { describeTopology } from './describe-topology.js';
import { probeCapabilities, type Capability } from './probe-capabilities.js';
import type { CollectionSummary, DatabaseSummary, SourceDescription } from '../source/source-description.js';

/** Everything `dbfork doctor` reports about one MongoDB server. */
export interface DoctorReport extends SourceDescription {
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
  const version = String(buildInfo.version ?? 'unknown');
  const consistency = await consistencySupport(run, topology, version);
  return {
    server: {
      version: String(buildInfo.version ?? 'unknown'),
      implementation:
        typeof buildInfo.ferretdbVersion === 'string' ? `FerretDB ${buildInfo.ferretdbVersion}` : null,
    },
    topology,
    databases,
    capabilities,
    consistency,
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
