import { StoreError } from '../../errors/index.js';

const HINTS: Readonly<Record<string, string>> = {
  ENOSPC: 'the disk holding the store is full: free space or prune old snapshots',
  EDQUOT: 'the disk quota is exhausted: free space or prune old snapshots',
  EACCES: 'the store folder is not writable by this user: check its owner and mode',
  EPERM: 'the store folder is not writable by this user: check its owner and mode',
  EROFS: 'the store is on a read-only file system',
};

/** A file-system failure of the store as a StoreError, keeping the system error as its cause. */
export function fsFailure(code: string, message: string, key: string, error: unknown): StoreError {
  const errno = (error as NodeJS.ErrnoException).code;
  return new StoreError(code, errno ? `${message}: ${errno}` : message, {
    subject: { key },
    cause: error,
    ...(errno && HINTS[errno] ? { hint: HINTS[errno] } : {}),
  });
}
