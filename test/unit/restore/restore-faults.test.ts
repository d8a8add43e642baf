import { describe, expect, it } from 'vitest';
import type { DumpEvent } from '../../../src/core/dump-event.js';
import { TransformError } from '../../../src/errors/index.js';
import { blame, blameInput } from '../../../src/restore/restore-faults.js';

async function drain(events: AsyncIterable<DumpEvent>): Promise<number> {
  let n = 0;
  for await (const _ of events) n++;
  return n;
}

describe('restore failures are classified by who is at fault', () => {
  it('an I/O error of the input stream is an archive error, not a target error', async () => {
    async function* failing(): AsyncGenerator<DumpEvent> {
      yield {
        type: 'prelude',
        serverVersion: '',
        toolVersion: '',
        concurrentCollections: 1,
        collections: [],
      };
      throw Object.assign(new Error('EIO: i/o error, read'), { code: 'EIO' });
    }
    const error = await drain(blameInput(failing())).catch((e: unknown) => e);
    expect(error).toMatchObject({ category: 'archive', code: 'DUMP_READ_FAILED' });
    expect((error as Error).message).toContain('EIO');
  });

  it('dbfork errors from the stream keep their own category', async () => {
    async function* failing(): AsyncGenerator<DumpEvent> {
      yield { type: 'end', namespace: { db: 'd', collection: 'c' } };
      throw new TransformError('TRANSFORM_TYPE_MISMATCH', 'not a string');
    }
    await expect(drain(blameInput(failing()))).rejects.toMatchObject({
      category: 'transform',
      code: 'TRANSFORM_TYPE_MISMATCH',
    });
  });

  it('passes the events through unchanged and closes the source when the consumer stops', async () => {
    let closed = false;
    async function* source(): AsyncGenerator<DumpEvent> {
      try {
        for (let i = 0; i < 3; i++) yield { type: 'end', namespace: { db: 'd', collection: `c${i}` } };
      } finally {
        closed = true;
      }
    }
    expect(await drain(blameInput(source()))).toBe(3);
    for await (const _ of blameInput(source())) break;
    expect(closed).toBe(true);
  });

  it('foreign errors: target → TARGET_WRITE_FAILED, engine → INTERNAL', () => {
    expect(blame(new Error('connection reset'), 'target')).toMatchObject({
      category: 'target',
      code: 'TARGET_WRITE_FAILED',
    });
    expect(blame(new TypeError('x is undefined'), 'engine')).toMatchObject({
      category: 'internal',
      code: 'INTERNAL',
    });
    const own = new TransformError('TRANSFORM_UNIQUE_COLLISION', 'collision');
    expect(blame(own, 'target')).toBe(own);
  });
});
