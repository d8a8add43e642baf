import { createReadStream } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { writeFileAtomic } from '../core/atomic-file.js';
import { writableInto } from '../streams/writable-into.js';
import type { DumpFileSource, DumpFileTarget } from './dump-files.js';

/**
 * A local folder as a {@link DumpFileTarget}: each file is written with {@link writeFileAtomic}
 * (temporary name, fsync, rename), so a file with its final name is always whole. Files are 0600
 * and new folders 0700, as everything dbfork writes.
 */
export function fsDumpFileTarget(dir: string): DumpFileTarget {
  return {
    create: (path) => writableInto((body) => writeFileAtomic(join(dir, ...path.split('/')), body)),
  };
}

/** A local folder as a {@link DumpFileSource}: its files and those of its sub-folders (not hidden ones). */
export function fsDumpFileSource(dir: string): DumpFileSource {
  return {
    name: basename(dir),
    async list() {
      const out: string[] = [];
      for (const entry of await readdir(dir, { withFileTypes: true })) {
        if (entry.isFile()) out.push(entry.name);
        else if (entry.isDirectory() && !entry.name.startsWith('.')) {
          for (const inner of await readdir(join(dir, entry.name), { withFileTypes: true }))
            if (inner.isFile()) out.push(`${entry.name}/${inner.name}`);
        }
      }
      return out;
    },
    open: async (path) => createReadStream(join(dir, ...path.split('/')), { highWaterMark: 256 * 1024 }),
    locate: (path) => join(dir, ...path.split('/')),
  };
}
