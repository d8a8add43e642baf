import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';

/** SQLite page cache per scratch database (KiB): its memory, whatever it holds. */
const CACHE_KIB = 8192;

/** An SQLite database in a fresh folder of its own, and how to close it and remove the folder. */
export interface ScratchSqlite {
  readonly db: Database.Database;
  /** Closes the database and removes its folder; safe to call once, even after a failure. */
  dispose(): void;
}

/**
 * Open an SQLite scratch database (better-sqlite3) in a fresh folder under `parent`: no journal, no
 * fsync, an 8 MiB page cache and temporary tables on disk. Scratch space only: a crash loses nothing a
 * rerun would not recompute, and {@link ScratchSqlite.dispose} leaves nothing behind.
 *
 * @param prefix the folder's name prefix (e.g. `dbfork-subset-`)
 * @param parent where the folder goes (default: the OS temporary folder, `TMPDIR`)
 */
export function openScratchSqlite(prefix: string, parent = tmpdir()): ScratchSqlite {
  const dir = mkdtempSync(join(parent, prefix));
  const remove = () => rmSync(dir, { recursive: true, force: true });
  let db: Database.Database;
  try {
    db = new Database(join(dir, 'scratch.sqlite'));
    db.pragma('journal_mode = OFF');
    db.pragma('synchronous = OFF');
    db.pragma(`cache_size = -${CACHE_KIB}`);
    db.pragma('temp_store = FILE');
  } catch (error) {
    remove();
    throw error;
  }
  return {
    db,
    dispose() {
      try {
        if (db.open) db.close();
      } finally {
        remove();
      }
    },
  };
}
