import { Readable } from 'node:stream';
import { readArchive, readDirectory, type DumpFileSource } from '../archive/index.js';
import type { DumpEvent } from '../core/dump-event.js';
import { CodecChain } from '../codec/codec-chain.js';
import { NO_KEYS, type CodecKeys } from '../codec/codec-keys.js';
import type { ResolvedSnapshot } from '../store/snapshot-catalog.js';

/**
 * A complete snapshot's data as a dump stream, read from the store with backpressure and decoded
 * through the codecs its manifest names. Archive CRCs are checked while reading (see `readArchive`).
 *
 * An encrypted snapshot needs `keys.identities`. Each document's BSON structure is checked unless
 * `checks.objcheck` is false.
 *
 * @throws ArchiveError when the data is damaged; StoreError when an object cannot be read or a codec
 *   is unknown (`SNAPSHOT_UNKNOWN_CODEC`), `DECRYPTION_WRONG_IDENTITY` / `DECRYPTION_FAILED` for
 *   encrypted data that the identities cannot open or that does not authenticate; UsageError
 *   `DECRYPTION_IDENTITY_REQUIRED` for an encrypted snapshot without identities
 */
export async function* readSnapshotData(
  snapshot: ResolvedSnapshot,
  keys: CodecKeys = NO_KEYS,
  checks: { readonly objcheck?: boolean } = {},
): AsyncGenerator<DumpEvent, void, undefined> {
  const objcheck = checks.objcheck ?? true;
  const { format, dataPath, codecs } = snapshot.manifest;
  const chain = new CodecChain(codecs, keys);
  if (format === 'archive') {
    const label = snapshot.locate(dataPath);
    yield* readArchive(chain.decode(await snapshot.open(dataPath), label), { label, objcheck });
    return;
  }
  yield* readDirectory(decodedDump(snapshot, dataPath, chain), { objcheck });
}

/**
 * A directory snapshot's objects under `<prefix>/` as the plain files of a dump: names without the
 * codecs' suffix, contents decoded. An object without the suffix is passed through as it is.
 */
function decodedDump(snapshot: ResolvedSnapshot, prefix: string, chain: CodecChain): DumpFileSource {
  const under = `${prefix}/`;
  const stored = new Map<string, string>();
  return {
    name: prefix,
    async list() {
      for (const key of await snapshot.keys(under)) {
        const path = key.slice(under.length);
        const plain = chain.suffix !== '' && path.endsWith(chain.suffix);
        stored.set(plain ? path.slice(0, -chain.suffix.length) : path, key);
      }
      return [...stored.keys()];
    },
    async open(path) {
      const key = stored.get(path) ?? under + path;
      const bytes = await snapshot.open(key);
      return chain.suffix !== '' && key.endsWith(chain.suffix)
        ? Readable.from(chain.decode(bytes, snapshot.locate(key)))
        : bytes;
    },
    locate: (path) => snapshot.locate(stored.get(path) ?? under + path),
  };
}
