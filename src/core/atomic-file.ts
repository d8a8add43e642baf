import { randomBytes } from 'node:crypto';
import { link, mkdir, open, rename, stat, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/** Bytes for {@link writeFileAtomic}: whole, or a stream pulled chunk by chunk. */
export type FileBody = string | Uint8Array | AsyncIterable<Uint8Array>;

export interface AtomicWriteOptions {
  /** Fail with `EEXIST` instead of replacing an existing file (create-only, also atomic). */
  readonly exclusive?: boolean;
  /** Mode of the new file (default 0600: nothing dbfork writes is world-readable). */
  readonly mode?: number;
  /** Mode of folders created on the way (default 0700). */
  readonly dirMode?: number;
}

/** Prefix of the temporary files: short, because the final name may already be 255 bytes long. */
const TEMP_FILE_PREFIX = '.dbfork-tmp-';

/** True for a name {@link writeFileAtomic} uses while writing (listings skip them). */
export function isTempFileName(name: string): boolean {
  return name.startsWith(TEMP_FILE_PREFIX);
}

/**
 * Write a file atomically: write a temporary file in the same folder, fsync it, rename it over the
 * target (or, with `exclusive`, hard-link it so an existing target is never replaced), fsync the
 * folder. A reader sees the old content or the new, never a partial file; a crash leaves at most a
 * `.dbfork-tmp-*` file. A streamed body is written one chunk at a time, so the producer is paced by
 * the disk and memory holds one chunk. Missing parent folders are created.
 *
 * @returns the number of bytes written
 * @throws the file system's errors as they are (`EEXIST` with `exclusive`), and whatever the body's
 *   iteration throws; the temporary file is removed in every failure case
 */
export async function writeFileAtomic(
  path: string,
  body: FileBody,
  options: AtomicWriteOptions = {},
): Promise<number> {
  const dir = dirname(path);
  await makeFolders(dir, options.dirMode ?? 0o700);
  const temp = join(dir, TEMP_FILE_PREFIX + randomBytes(6).toString('hex'));
  const handle = await open(temp, 'wx', options.mode ?? 0o600);
  let bytes = 0;
  try {
    try {
      if (typeof body === 'string' || body instanceof Uint8Array) {
        const data = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
        await handle.writeFile(data);
        bytes = data.length;
      } else {
        for await (const chunk of body) {
          for (let at = 0; at < chunk.length;) {
            at += (await handle.write(chunk, at, chunk.length - at)).bytesWritten;
          }
          bytes += chunk.length;
        }
      }
      await handle.sync();
    } finally {
      await handle.close();
    }
    if (options.exclusive) {
      await link(temp, path);
      await unlink(temp);
    } else {
      await rename(temp, path);
    }
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
  await syncDir(dir);
  return bytes;
}

/** fsync a folder so a rename in it is durable. */
async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * `mkdir -p`, with the real reason when it fails: Node's recursive mkdir answers `ENOENT` on a
 * read-only file system or under a folder this user may not write, so on `ENOENT` the first missing
 * folder is created alone, which fails with the reason (`EROFS`, `EACCES`, `ENOSPC`).
 */
export async function makeFolders(dir: string, mode: number): Promise<void> {
  try {
    await mkdir(dir, { recursive: true, mode });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    let missing = dir;
    while (dirname(missing) !== missing && !(await exists(dirname(missing)))) missing = dirname(missing);
    await mkdir(missing, { mode });
    await mkdir(dir, { recursive: true, mode });
  }
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
