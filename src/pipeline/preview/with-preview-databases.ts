import { MongoDbPreviewDatabases } from '../../mongodb/mongodb-preview-databases.js';
import type { PreviewDatabases } from '../../target/preview-databases.js';

/** Connect to the target server's preview databases, run `use`, close. */
export async function withPreviewDatabases<T>(
  uri: string,
  use: (dbs: PreviewDatabases) => Promise<T>,
): Promise<T> {
  const dbs = await MongoDbPreviewDatabases.connect(uri);
  try {
    return await use(dbs);
  } finally {
    await dbs.close();
  }
}
