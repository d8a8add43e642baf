import { serialize } from 'bson';
import { describe, expect, it } from 'vitest';
import type { CollectionEntry, DumpEvent } from '../../../src/core/dump-event.js';
import { parseRules } from '../../../src/config/load-rules.js';
import { isDbforkError } from '../../../src/errors/index.js';
import { failClosedGate } from '../../../src/policy/fail-closed-gate.js';
import type { ClassificationOptions } from '../../../src/policy/namespace-policy.js';
import { collect, dumpOf, type TestCollection } from '../transform/dump-events.js';

const rulesOf = (yaml: string) => parseRules(yaml, 'r.yaml').rules;
const gate = (yaml: string, input: AsyncIterable<DumpEvent>, options: ClassificationOptions = {}) =>
  collect(failClosedGate(input, rulesOf(yaml), options));

async function failure(run: Promise<unknown>): Promise<{ code: string; message: string; category: string }> {
  try {
    await run;
  } catch (error) {
    if (isDbforkError(error)) return { code: error.code, message: error.message, category: error.category };
    throw error;
  }
  throw new Error('expected the run to fail');
}

const patients: TestCollection = { ns: 'crm.patients', docs: [{ _id: 1, email: 'ann@example.com' }] };
const visits: TestCollection = { ns: 'crm.visits', docs: [{ _id: 1, note: 'Ann Smith came in' }] };
const audit: TestCollection = { ns: 'crm.audit', docs: [{ _id: 1, who: 'ann@example.com' }] };
const PATIENTS =
  'rules:\n  patients:\n    fields:\n      email: { transform: hash_email }\n    keep: [_id]\n';

/** A prelude-only dump from entries, with one document per entry. */
async function* entriesDump(entries: CollectionEntry[]): AsyncGenerator<DumpEvent> {
  yield {
    type: 'prelude',
    serverVersion: '',
    toolVersion: 't',
    concurrentCollections: 1,
    collections: entries,
  };
  for (const e of entries) {
    yield {
      type: 'document',
      namespace: e.namespace,
      bson: serialize({ _id: 1, o: { x: 'ann@example.com' } }),
    };
    yield { type: 'end', namespace: e.namespace };
  }
}

describe('the fail-closed gate', () => {
  it('refuses every namespace no rules key names, all in one policy error, before the first event', async () => {
    const out: DumpEvent[] = [];
    const run = (async () => {
      for await (const e of failClosedGate(dumpOf([patients, visits, audit]), rulesOf(PATIENTS))) out.push(e);
    })();
    const error = await failure(run);
    expect(error).toMatchObject({ code: 'UNCLASSIFIED_NAMESPACE', category: 'policy' });
    expect(error.message).toContain('crm.visits');
    expect(error.message).toContain('crm.audit');
    expect(error.message).not.toContain('crm.patients:');
    expect(out).toEqual([]);
  });

  it('passes once the other namespaces are kept whole, excluded or ruled', async () => {
    const yaml = `${PATIENTS}  visits: null\n  audit:\n    fields:\n      who: { transform: hash_email }\n    keep: [_id]\n`;
    const events = await gate(yaml, dumpOf([patients, visits, audit]));
    expect(events.filter((e) => e.type === 'document')).toHaveLength(3);
    const excluded = await gate(
      `${PATIENTS}exclusions: [visits, audit]\n`,
      dumpOf([patients, visits, audit]),
    );
    const prelude = excluded[0];
    expect(prelude?.type === 'prelude' && prelude.collections.map((c) => c.namespace.collection)).toEqual([
      'patients',
    ]);
    expect(excluded.filter((e) => e.type === 'document')).toHaveLength(1);
  });

  it('--allow-unclassified copies the unnamed namespaces raw, deliberately', async () => {
    const events = await gate(PATIENTS, dumpOf([patients, visits]), { allowUnclassified: true });
    expect(events.filter((e) => e.type === 'document')).toHaveLength(2);
  });

  it('fails on an unclassified field with the namespace, the path and the position; strict: false opts out', async () => {
    const docs = [
      { _id: 1, email: 'a@b.c' },
      { _id: 2, email: 'd@e.f', phone: '555-0100' },
    ];
    const error = await failure(gate(PATIENTS, dumpOf([{ ns: 'crm.patients', docs }])));
    expect(error.code).toBe('UNCLASSIFIED_FIELD');
    expect(error.message).toContain('crm.patients');
    expect(error.message).toContain('field phone of document 2');
    const kept = await gate(
      PATIENTS.replace('[_id]', '[_id, phone]'),
      dumpOf([{ ns: 'crm.patients', docs }]),
    );
    expect(kept.filter((e) => e.type === 'document')).toHaveLength(2);
    const lax = await gate(`strict: false\n${PATIENTS}`, dumpOf([{ ns: 'crm.patients', docs }]));
    expect(lax.filter((e) => e.type === 'document')).toHaveLength(2);
  });

  it('passes the oplog on to the oplog rewriter (a "*" key does not check it as a collection) and drops it with --drop-oplog', async () => {
    const entries: CollectionEntry[] = [
      { namespace: { db: 'test', collection: 'foo' }, collectionType: '', metadataJson: '' },
      { namespace: { db: '', collection: 'oplog' }, collectionType: '', metadataJson: '' },
    ];
    const yaml = 'rules:\n  "*":\n    keep: [_id, o]\n';
    const passed = await gate(yaml, entriesDump(entries));
    expect(passed.filter((e) => e.type === 'document' && e.namespace.db === '')).toHaveLength(1);
    const dropped = await gate(yaml, entriesDump(entries), { dropOplog: true });
    expect(dropped.some((e) => e.type !== 'prelude' && e.namespace.db === '')).toBe(false);
    expect(dropped.filter((e) => e.type === 'document')).toHaveLength(1);
  });

  it('drops admin, config and local; passes views; other system.* like any collection; time-series buckets kept whole or excluded', async () => {
    const entry = (db: string, collection: string, collectionType = 'collection'): CollectionEntry => ({
      namespace: { db, collection },
      collectionType,
      metadataJson: '',
    });
    const out = await gate(
      'rules:\n  "*":\n    keep: [_id, o]\n',
      entriesDump([
        entry('admin', 'system.users'),
        entry('config', 'system.sessions'),
        entry('local', 'x'),
        entry('app', 'v', 'view'),
      ]),
    );
    const prelude = out[0];
    expect(prelude?.type === 'prelude' && prelude.collections.map((c) => c.namespace.db)).toEqual(['app']);
    const systemJs = [entry('app', 'system.js')];
    const unnamed = await failure(gate('rules:\n  other:\n    keep: [_id]\n', entriesDump(systemJs)));
    expect(unnamed.message).toContain('app.system.js: no rules key names it');
    const excluded = await gate(
      'rules:\n  other:\n    keep: [_id]\nexclusions: [system.js]\n',
      entriesDump(systemJs),
    );
    expect(excluded.filter((e) => e.type === 'document')).toHaveLength(0);
    const buckets = [entry('app', 'system.buckets.temps', 'timeseries')];
    const refused = await failure(gate('rules:\n  "*":\n    keep: [_id, o]\n', entriesDump(buckets)));
    expect(refused.message).toContain('time-series');
    const whole = await gate('rules:\n  system.buckets.temps: null\n', entriesDump(buckets));
    expect(whole.filter((e) => e.type === 'document')).toHaveLength(1);
  });

  it('refuses a personal literal in a partialFilterExpression, a validator or a view pipeline unless kept', async () => {
    const withIndex: TestCollection = {
      ns: 'crm.patients',
      docs: [{ _id: 1, email: 'x' }],
      indexes: [
        { v: 2, key: { email: 1 }, name: 'vip_email', partialFilterExpression: { email: 'ceo@example.com' } },
      ],
    };
    const error = await failure(gate(PATIENTS, dumpOf([withIndex])));
    expect(error.code).toBe('METADATA_LITERAL');
    expect(error.message).toContain('indexes.vip_email.partialFilterExpression.email');
    expect(error.message).not.toContain('ceo@example.com');
    const kept = await gate(`${PATIENTS}    keep_metadata: [indexes.vip_email]\n`, dumpOf([withIndex]));
    expect(kept.filter((e) => e.type === 'document')).toHaveLength(1);

    const view: CollectionEntry = {
      namespace: { db: 'crm', collection: 'vip' },
      collectionType: 'view',
      metadataJson: JSON.stringify({
        options: { viewOn: 'patients', pipeline: [{ $match: { name: 'Mary Johnson' } }] },
        indexes: [],
      }),
    };
    const viewError = await failure(gate(PATIENTS, entriesDump([view])));
    expect(viewError.message).toContain('options.pipeline.$match.name');
  });
});
