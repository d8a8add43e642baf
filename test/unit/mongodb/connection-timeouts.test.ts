import { Int32, MongoNetworkTimeoutError, MongoServerError } from 'mongodb';
import { afterEach, describe, expect, it } from 'vitest';
import { setConnectionTimeouts } from '../../../src/core/connection-timeouts.js';
import {
  isResumableReadError,
  untilSecondTimeout,
  isTransientMongoError,
} from '../../../src/mongodb/classify-mongo-error.js';
import { connectionTimeoutsFor } from '../../../src/mongodb/connection-timeouts.js';
import { parseConnectionTimeouts } from '../../../src/cli/option-groups.js';

describe('connection timeouts: flag, else URI option, else default', () => {
  afterEach(() => setConnectionTimeouts({}));

  it('defaults to 5 min per reply and 10 s to find a server', () => {
    expect(connectionTimeoutsFor('mongodb://h/')).toEqual({
      socketTimeoutMS: 300_000,
      serverSelectionTimeoutMS: 10_000,
      connectTimeoutMS: 10_000,
    });
  });

  it("leaves the URI's own options to the driver", () => {
    expect(connectionTimeoutsFor('mongodb://h/?socketTimeoutMS=5&serverSelectionTimeoutMS=7')).toEqual({});
  });

  it('a flag wins over the URI', () => {
    setConnectionTimeouts(parseConnectionTimeouts({ socketTimeout: '2s', serverSelectionTimeout: '500ms' }));
    expect(connectionTimeoutsFor('mongodb://h/?socketTimeoutMS=5&connectTimeoutMS=9')).toEqual({
      socketTimeoutMS: 2000,
      serverSelectionTimeoutMS: 500,
    });
  });

  it('refuses a zero or a non-duration', () => {
    expect(() => parseConnectionTimeouts({ socketTimeout: '0s' })).toThrow(/longer than 0/);
    expect(() => parseConnectionTimeouts({ serverSelectionTimeout: 'soon' })).toThrow(/not a duration/);
  });
});

describe('read retry classifiers', () => {
  it('a lost cursor resumes, with the code as a number or as an Int32 (values not promoted)', () => {
    const plain = new MongoServerError({ message: 'cursor id 1 not found', code: 43 });
    const boxed = new MongoServerError({ message: 'cursor id 1 not found', code: new Int32(43) as never });
    expect(isTransientMongoError(plain)).toBe(false);
    expect(isResumableReadError(plain)).toBe(true);
    expect(isResumableReadError(boxed)).toBe(true);
    expect(isResumableReadError(new MongoServerError({ message: 'no', code: 13 }))).toBe(false);
  });

  it('gives up on the second timeout in a row, not on the first', () => {
    const retry = untilSecondTimeout(isTransientMongoError);
    const timeout = new MongoNetworkTimeoutError('timed out');
    expect(retry(timeout)).toBe(true);
    expect(retry(timeout)).toBe(false);
  });
});
