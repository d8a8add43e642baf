import { MongoClient, type MongoClientOptions, type ReadPreferenceMode } from 'mongodb';
import { SourceError, TargetError, UsageError } from '../errors/index.js';
import { redactUri, registerUriSecrets } from '../core/redact.js';
import { TOOL_VERSION } from '../core/version.js';
import { connectionTimeoutsFor } from './connection-timeouts.js';

/** Which side of the copy a connection serves: decides the error category on failure. */
export type ConnectionRole = 'source' | 'target';

export interface ConnectOptions {
  readonly role: ConnectionRole;
  /** Server selection timeout in ms (default: the run's, see core/connection-timeouts.ts). */
  readonly timeoutMs?: number;
  /** Read preference for a source (default: whatever the URI says, else `secondaryPreferred`). */
  readonly readPreference?: ReadPreferenceMode;
}

const URI_SCHEME = /^mongodb(\+srv)?:\/\//i;

/**
 * Connect to a MongoDB deployment (or any server speaking its wire protocol) and check it answers.
 * The URI's password is registered as a secret first, so no message can print it.
 *
 * @throws UsageError `CONFIG_BAD_URI` when the URI is malformed
 * @throws SourceError `SOURCE_UNREACHABLE` / TargetError `TARGET_UNREACHABLE` when no server answers
 */
export async function connectMongo(uri: string, options: ConnectOptions): Promise<MongoClient> {
  registerUriSecrets(uri);
  if (!URI_SCHEME.test(uri)) {
    throw new UsageError('CONFIG_BAD_URI', `not a MongoDB connection string: ${redactUri(uri)}`, {
      hint: 'use mongodb://host:port/ or mongodb+srv://host/',
    });
  }
  const clientOptions: MongoClientOptions = {
    ...connectionTimeoutsFor(uri, options.timeoutMs),
    appName: `dbfork/${TOOL_VERSION}`,
    // BSON values are kept as they are: Int64 stays Long, no promotion that would change bytes.
    promoteLongs: false,
    promoteValues: false,
    bsonRegExp: true,
  };
  if (options.role === 'source' && !/[?&]readPreference=/i.test(uri)) {
    clientOptions.readPreference = options.readPreference ?? 'secondaryPreferred';
  } else if (options.readPreference) {
    clientOptions.readPreference = options.readPreference;
  }
  let client: MongoClient;
  try {
    client = new MongoClient(uri, clientOptions);
  } catch (error) {
    throw new UsageError('CONFIG_BAD_URI', `invalid MongoDB connection string: ${(error as Error).message}`, {
      hint: 'check the URI syntax: mongodb://[user:password@]host[:port]/[db][?options]',
      cause: error,
    });
  }
  try {
    await client.connect();
    await client.db('admin').command({ ping: 1 });
    return client;
  } catch (error) {
    await client.close().catch(() => undefined);
    const ErrorClass = options.role === 'source' ? SourceError : TargetError;
    const code = options.role === 'source' ? 'SOURCE_UNREACHABLE' : 'TARGET_UNREACHABLE';
    throw new ErrorClass(
      code,
      `cannot reach the ${options.role} server ${hostsOf(uri)}: ${(error as Error).message}`,
      {
        hint: 'check host, port, network access and credentials; `dbfork doctor --uri …` tells more',
        subject: { server: hostsOf(uri) },
        labels: ['retryable', 'noWritesPerformed'],
        cause: error,
      },
    );
  }
}

/** The host list of a connection string, without credentials or options. */
export function hostsOf(uri: string): string {
  const withoutScheme = uri.replace(URI_SCHEME, '');
  const afterAt = withoutScheme.includes('@')
    ? withoutScheme.slice(withoutScheme.lastIndexOf('@') + 1)
    : withoutScheme;
  return afterAt.split(/[/?]/)[0] ?? '';
}
