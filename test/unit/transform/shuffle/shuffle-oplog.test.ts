import { serialize } from 'bson';
import { describe, expect, it } from 'vitest';
import { parseRules } from '../../../../src/config/load-rules.js';
import { Anonymizer } from '../../../../src/transform/anonymizer.js';
import { keyedHasher } from '../../../../src/transform/hasher.js';
import { OplogRewriter } from '../../../../src/transform/oplog/oplog-rewriter.js';
import { TEST_KEY } from '../dump-events.js';

const RULES = 'rules:\n  people:\n    fields:\n      city: { transform: shuffle }\n    keep: [_id, n]\n';
const rewriter = () =>
  new OplogRewriter(
    new Anonymizer(parseRules(RULES, 'r.yaml').rules, keyedHasher(Buffer.from(TEST_KEY))),
    new Map(),
  );
const entry = (o: Record<string, unknown>, op = 'i') =>
  serialize({ ts: { t: 1, i: 1 }, op, ns: 'd.people', o, ...(op === 'u' ? { o2: { _id: 1 } } : {}) });

describe('oplog entries of a shuffled collection', () => {
  it('fail closed when they carry a shuffled field (insert or $set): the value would stay with its document', () => {
    expect(() => rewriter().rewrite(entry({ _id: 1, city: 'Paris', n: 1 }), 1)).toThrow(
      expect.objectContaining({
        code: 'TRANSFORM_OPLOG_UNREWRITABLE',
        message: expect.stringMatching(/city is shuffled/),
      }),
    );
    expect(() => rewriter().rewrite(entry({ $set: { city: 'Paris' } }, 'u'), 1)).toThrow(
      expect.objectContaining({ code: 'TRANSFORM_OPLOG_UNREWRITABLE' }),
    );
  });

  it('pass when they do not reach it (or hold null there)', () => {
    expect(() => rewriter().rewrite(entry({ _id: 1, n: 2 }), 1)).not.toThrow();
    expect(() => rewriter().rewrite(entry({ $set: { n: 3 } }, 'u'), 1)).not.toThrow();
    expect(() => rewriter().rewrite(entry({ _id: 1, city: null }), 1)).not.toThrow();
  });
});
