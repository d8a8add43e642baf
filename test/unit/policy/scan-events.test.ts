import { describe, expect, it } from 'vitest';
import { parseRules } from '../../../src/config/load-rules.js';
import { UsageError } from '../../../src/errors/index.js';
import { scanEvents } from '../../../src/policy/scan-events.js';
import { dumpOf } from '../transform/dump-events.js';

const docs = Array.from({ length: 20 }, (_, i) => ({
  _id: i,
  email: `person${i}@mail.example`,
  profile: { bio: `Reach me at +44 20 7946 09${String(i).padStart(2, '0')} any time`, city: 'Leeds' },
  contacts: [{ email: `friend${i}@mail.example` }],
  score: i,
}));

const rulesOf = (yaml: string) => parseRules(yaml, 'r.yaml').rules;

describe('scanEvents', () => {
  it('without rules, reports every personal-data path with counts and masked examples only', async () => {
    const report = await scanEvents(dumpOf([{ ns: 'd.people', docs }]));
    expect(report.passed).toBe(false);
    expect(report.findings.map((f) => [f.path, f.detector, f.count])).toEqual([
      ['contacts.email', 'email', 20],
      ['email', 'email', 20],
      ['profile.bio', 'phone', 20],
    ]);
    const text = JSON.stringify(report);
    expect(text).not.toContain('person1@mail.example');
    expect(text).not.toContain('7946');
    expect(report.findings[1]!.examples).toHaveLength(3);
  });

  it('with rules, transformed and kept paths are not findings (listed as covered)', async () => {
    const rules = rulesOf(
      'rules:\n  people:\n    fields:\n      email: { transform: hash_email }\n      contacts.email: { transform: hash_email }\n    keep: [profile.bio]\n',
    );
    const report = await scanEvents(dumpOf([{ ns: 'd.people', docs }]), { rules });
    expect(report.findings).toEqual([]);
    expect(report.passed).toBe(true);
    expect(report.covered.map((c) => [c.path, c.classification])).toEqual([
      ['contacts.email', 'transformed'],
      ['email', 'transformed'],
      ['profile.bio', 'kept'],
    ]);
  });

  it('--strict fails on any sampled path neither transformed nor kept (schema drift)', async () => {
    const rules = rulesOf(
      'rules:\n  people:\n    fields:\n      email: { transform: hash_email }\n      contacts: { transform: unset }\n    keep: [_id, profile]\n',
    );
    const clean = await scanEvents(dumpOf([{ ns: 'd.people', docs }]), { rules, strict: true });
    expect(clean.unclassified).toEqual([{ namespace: 'd.people', path: 'score', count: 20, types: ['int'] }]);
    expect(clean.passed).toBe(false);
    const drift = await scanEvents(
      dumpOf([{ ns: 'd.people', docs: docs.map((d) => ({ ...d, score: undefined })) }]),
      { rules, strict: true },
    );
    expect(drift.passed).toBe(true);
  });

  it('skips excluded namespaces, samples the first N documents, and needs rules for strict', async () => {
    const rules = rulesOf('exclusions: [secrets]\n');
    const report = await scanEvents(
      dumpOf([
        { ns: 'd.secrets', docs },
        { ns: 'd.people', docs },
      ]),
      { rules, sample: 5 },
    );
    expect(report.namespaces).toEqual([
      { namespace: 'd.secrets', excluded: true, sampledDocuments: 0, documents: 20, paths: 0 },
      { namespace: 'd.people', excluded: false, sampledDocuments: 5, documents: 20, paths: 6 },
    ]);
    expect(report.findings.every((f) => f.namespace === 'd.people' && f.count === 5)).toBe(true);
    await expect(scanEvents(dumpOf([]), { strict: true })).rejects.toBeInstanceOf(UsageError);
  });
});
