import { registerCatalogScheme } from '../../store/open-snapshot-store.js';

/**
 * Make `mongodb://…` and `mongodb+srv://…` store URLs open a {@link SnapshotDbCatalog}: snapshots
 * are databases of that cluster. The driver loads only when such a store is opened. Idempotent.
 */
export function registerSnapshotDbStore(): void {
  const open = async (url: string, options: { leaseMs?: number; now?: () => Date }) => {
    const [{ SnapshotDatabase }, { SnapshotDbCatalog }, { redactUri }] = await Promise.all([
      import('../../mongodb/snapshot-db/snapshot-database.js'),
      import('./snapshot-db-catalog.js'),
      import('../../core/redact.js'),
    ]);
    return new SnapshotDbCatalog(new SnapshotDatabase(url), redactUri(url), options);
  };
  registerCatalogScheme('mongodb', open);
  registerCatalogScheme('mongodb+srv', open);
}

registerSnapshotDbStore();
