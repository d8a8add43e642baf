import { BSON_SUFFIX, GZ_SUFFIX, METADATA_SUFFIX } from './dump-file-names.js';

export interface FolderFiles {
  /** stem → path, for `<stem>.bson[.gz]`. */
  readonly data: Map<string, string>;
  /** stem → path, for `<stem>.metadata.json[.gz]`. */
  readonly metadata: Map<string, string>;
}

/** The dump's files: top-level names, and per database folder its file names. */
export interface DumpListing {
  readonly top: string[];
  readonly databases: Map<string, string[]>;
}

/** Group listed paths into top-level files and database folders (in name order; hidden folders skipped). */
export function listDump(paths: readonly string[]): DumpListing {
  const top: string[] = [];
  const databases = new Map<string, string[]>();
  for (const path of paths) {
    const [first, second, ...deeper] = path.split('/');
    if (first === undefined) continue;
    if (second === undefined) top.push(first);
    else if (deeper.length === 0 && !first.startsWith('.')) {
      const names = databases.get(first) ?? [];
      names.push(second);
      databases.set(first, names);
    }
  }
  const sorted = [...databases.keys()].sort(compare);
  return { top: top.sort(compare), databases: new Map(sorted.map((db) => [db, databases.get(db) ?? []])) };
}

/** Data and metadata files of one folder (`""` for the top), by stem; values are paths in the dump. */
export function collectFiles(folder: string, names: readonly string[]): FolderFiles {
  const data = new Map<string, string>();
  const metadata = new Map<string, string>();
  for (const name of names) {
    const plain = name.endsWith(GZ_SUFFIX) ? name.slice(0, -GZ_SUFFIX.length) : name;
    if (plain.endsWith(METADATA_SUFFIX))
      metadata.set(plain.slice(0, -METADATA_SUFFIX.length), inFolder(folder, name));
    else if (plain.endsWith(BSON_SUFFIX))
      data.set(plain.slice(0, -BSON_SUFFIX.length), inFolder(folder, name));
  }
  return { data, metadata };
}

/** A file's path in the dump from its folder (`""` for the top) and name. */
export function inFolder(folder: string, name: string): string {
  return folder === '' ? name : `${folder}/${name}`;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
