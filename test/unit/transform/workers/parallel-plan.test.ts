import { deserialize, serialize } from 'bson';
import { describe, expect, it } from 'vitest';
import { parseRules } from '../../../../src/config/load-rules.js';
import type { CollectionEntry } from '../../../../src/core/dump-event.js';
import { Anonymizer } from '../../../../src/transform/anonymizer.js';
import { keyedHasher } from '../../../../src/transform/hasher.js';
import { streamAnonymizer } from '../../../../src/transform/stream-anonymizer.js';
import { parallelPlan } from '../../../../src/transform/workers/parallel-plan.js';
import { ClaimLog, RecordingRegistry } from '../../../../src/transform/workers/recording-registry.js';
import { collect, dumpOf, TEST_KEY } from '../dump-events.js';

const hasher = keyedHasher(Buffer.from(TEST_KEY));

function entry(ns: string, indexes: object[] = []): CollectionEntry {
  const [db, collection] = ns.split('.') as [string, string];
  return {
    namespace: { db, collection },
    collectionType: 'collection',
    metadataJson: JSON.stringify({ indexes: [{ v: 2, key: { _id: 1 }, name: '_id_' }, ...indexes] }),
  };
}

function planOf(rules: string, entries: CollectionEntry[]) {
  const anonymizer = new Anonymizer(parseRules(rules, 'r.yaml').rules, hasher);
  return {
    anonymizer,
    ...parallelPlan(
      anonymizer,
      entries.map((e) => ({ entry: e, plan: anonymizer.plan(e) })),
    ),
  };
}

describe('parallelPlan: which namespaces workers may rewrite', () => {
  it('keeps namespaces with state across documents in the main thread', () => {
    const { eligible } = planOf(
      `rules:
  free: { fields: { a: { transform: hash } }, keep: [_id] }
  limited: { fields: { a: { transform: hash } }, keep: [_id] }
  shuffled: { fields: { a: { transform: shuffle }, b: { transform: hash } }, keep: [_id] }
  counted: { fields: { a: { transform: sequential } }, keep: [_id] }
  numbered: { fields: { a: { transform: sequential, deterministic: true } }, keep: [_id] }
  sharer: { fields: { a: { transform: hash }, b: { transform: sequential, group: ids } }, keep: [_id] }
  plain: null
size_limits: { limited: { max_documents: 10 } }
`,
      ['free', 'limited', 'shuffled', 'counted', 'numbered', 'sharer', 'plain'].map((c) => entry(`d.${c}`)),
    );
    expect([...eligible].sort()).toEqual(['d.free', 'd.numbered']);
  });

  it('every namespace of a counter group stays in thread (one counter across them)', () => {
    const { eligible } = planOf(
      `rules:
  a: { fields: { id: { transform: sequential, group: ids } }, keep: [_id] }
  b: { fields: { ref: { transform: sequential, group: ids }, x: { transform: hash } }, keep: [_id] }
  c: { fields: { x: { transform: hash } }, keep: [_id] }
`,
      [entry('d.a'), entry('d.b'), entry('d.c')],
    );
    expect([...eligible]).toEqual(['d.c']);
  });

  it('lists every unique domain once, in first-use order', () => {
    const { uniqueDomains } = planOf(
      `rules:
  a: { fields: { email: { transform: hash_email, group: email }, n: { transform: hash, unique: true } }, keep: [_id] }
  b: { fields: { email: { transform: hash_email, group: email } }, keep: [_id] }
`,
      [entry('d.a', [{ v: 2, key: { email: 1 }, name: 'email_1', unique: true }]), entry('d.b')],
    );
    expect(uniqueDomains.map((d) => d.name)).toEqual(['group:email', 'rule:a:n']);
  });
});

describe('RecordingRegistry', () => {
  it('answers from its own claims and records every call, rejected attempts included', () => {
    const log = new ClaimLog();
    const registry = new RecordingRegistry('t', 10, 3, log);
    expect(registry.claim('=x', '=a')).toBe(true);
    expect(registry.claim('=x', '=b')).toBe(false);
    expect(registry.claim('=y', '=b')).toBe(true);
    expect(registry.claim('=x', '=a')).toBe(true);
    expect(log.domains).toEqual([3, 3, 3, 3]);
    expect(log.outputs).toEqual(['=x', '=x', '=y', '=x']);
    expect(log.accepted).toEqual([1, 0, 1, 1]);
  });

  it('when full, answers free without remembering (the main thread decides)', () => {
    const log = new ClaimLog();
    const registry = new RecordingRegistry('t', 1, 0, log);
    expect(registry.claim('=x', '=a')).toBe(true);
    expect(registry.claim('=y', '=b')).toBe(true);
    expect(registry.claim('=y', '=c')).toBe(true);
    expect(registry.size).toBe(1);
  });

  it('a rewriter on recording registries claims what the in-thread one claims', () => {
    const rules = parseRules(
      "rules:\n  c:\n    fields:\n      u: { transform: hash, length: 4, alphabet: 'ab', unique: true }\n    keep: [_id]",
      'r.yaml',
    ).rules;
    const anonymizer = new Anonymizer(rules, hasher);
    const e = entry('d.c');
    const plan = anonymizer.plan(e);
    const { uniqueDomains } = parallelPlan(anonymizer, [{ entry: e, plan }]);
    const log = new ClaimLog();
    uniqueDomains.forEach((d, i) => (d.registry = new RecordingRegistry(d.name, 100, i, log)));
    // 12 values into 16 outputs: collisions, so rejected attempts are recorded
    const outs = Array.from(
      { length: 12 },
      (_, i) => deserialize(plan.rewriter!.rewrite(serialize({ _id: i, u: `user${i}` }), i + 1)).u as string,
    );
    expect(new Set(outs).size).toBe(12);
    expect(log.accepted.filter((a) => a === 1)).toHaveLength(12);
    expect(log.accepted.filter((a) => a === 0).length).toBeGreaterThan(0);
  });
});

describe('anonymizeEvents with workers that cannot start', () => {
  it('rewrites everything in thread: the same output', async () => {
    // under vitest the worker entry is TypeScript, which a worker thread cannot load: every worker fails
    const loaded = parseRules(
      "rules:\n  c:\n    fields:\n      u: { transform: hash, length: 4, alphabet: 'abc', unique: true }\n    keep: [_id]",
      'r.yaml',
    );
    const docs = Array.from({ length: 60 }, (_, i) => ({ _id: i, u: `user${i}` }));
    const one = await collect(streamAnonymizer(loaded, hasher).apply(dumpOf([{ ns: 'd.c', docs }])));
    const parallel = streamAnonymizer(loaded, hasher, {
      workers: { count: 2, key: { key: TEST_KEY, insecureUnkeyed: false }, startAfter: 0 },
    });
    const two = await collect(parallel.apply(dumpOf([{ ns: 'd.c', docs }])));
    expect(two).toEqual(one);
  });
});
