import type { MongoClient } from 'mongodb';
import type { CapturePlanRow } from '../source/capture-plan.js';
import type {
  Capture,
  CaptureOptions,
  CaptureSelection,
  ReadPreference,
  ServerCapture,
  ServerCaptureOptions,
  SnapshotSource,
} from '../source/snapshot-source.js';
import { captureDatabase } from './capture.js';
import type { CommandRunner } from './command-runner.js';
import { captureServer } from './capture-server.js';
import { connectMongo } from './connect.js';
import { runDoctor, type DoctorReport } from './doctor.js';
import { planCapture } from './plan-capture.js';

export interface MongoDbSourceConnectOptions {
  /** Read preference (default: whatever the URI says, else `secondaryPreferred`). */
  readonly readPreference?: ReadPreference;
  /** Server selection timeout in ms (default 10 000). */
  readonly timeoutMs?: number;
}

/**
 * A MongoDB deployment (or a server speaking its wire protocol) as a capture source: capture plans
 * (listCollections, estimated counts), `doctor` and the raw-BSON capture with resume.
 */
export class MongoDbSource implements SnapshotSource {
  readonly #client: MongoClient;
  readonly #owns: boolean;
  readonly #run: CommandRunner | undefined;

  /**
   * Wrap an already connected client.
   * @param ownsClient close the client with the source
   * @param run the command seam consistent captures read through (default: the client's, lossless);
   *   tests answer it as a replica set
   */
  constructor(client: MongoClient, ownsClient = false, run?: CommandRunner) {
    this.#client = client;
    this.#owns = ownsClient;
    this.#run = run;
  }

  /**
   * Connect with dbfork's source defaults (see `connectMongo`).
   *
   * @throws UsageError `CONFIG_BAD_URI`, SourceError `SOURCE_UNREACHABLE`
   */
  static async connect(uri: string, options: MongoDbSourceConnectOptions = {}): Promise<MongoDbSource> {
    const client = await connectMongo(uri, {
      role: 'source',
      ...(options.readPreference ? { readPreference: options.readPreference } : {}),
      ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    });
    return new MongoDbSource(client, true);
  }

  list(db: string, selection: CaptureSelection): Promise<CapturePlanRow[]> {
    return planCapture(this.#client, db, selection);
  }

  describe(): Promise<DoctorReport> {
    return runDoctor(this.#client);
  }

  capture(options: CaptureOptions): Promise<Capture> {
    return captureDatabase(this.#client, options, this.#run);
  }

  captureServer(options: ServerCaptureOptions): Promise<ServerCapture> {
    return captureServer(this.#client, options);
  }

  async close(): Promise<void> {
    if (this.#owns) await this.#client.close();
  }
}
