import { open, mkdtemp, rm, type FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The oplog entries of a dump, kept aside while the collections load (a dump stores its oplog after
 * them or interleaved), in a private temporary file so memory stays bounded: each entry is a BSON
 * document, which starts with its own int32 length (bsonspec.org), written one after the other.
 * Read back in order by {@link OplogSpill.entries}; {@link OplogSpill.dispose} removes the file.
 */
export class OplogSpill {
  #dir: string | null = null;
  #file: FileHandle | null = null;
  #count = 0;

  get count(): number {
    return this.#count;
  }

  async append(bson: Uint8Array): Promise<void> {
    if (!this.#file) {
      this.#dir = await mkdtemp(join(tmpdir(), 'dbfork-oplog-'));
      this.#file = await open(join(this.#dir, 'oplog.bson'), 'w+', 0o600);
    }
    await this.#file.write(bson);
    this.#count++;
  }

  async *entries(): AsyncGenerator<Uint8Array> {
    const file = this.#file;
    if (!file) return;
    let position = 0;
    const head = Buffer.alloc(4);
    for (let i = 0; i < this.#count; i++) {
      await file.read(head, 0, 4, position);
      const length = head.readInt32LE(0);
      const bson = Buffer.alloc(length);
      await file.read(bson, 0, length, position);
      position += length;
      yield bson;
    }
  }

  async dispose(): Promise<void> {
    await this.#file?.close().catch(() => undefined);
    if (this.#dir) await rm(this.#dir, { recursive: true, force: true });
    this.#file = null;
    this.#dir = null;
  }
}
