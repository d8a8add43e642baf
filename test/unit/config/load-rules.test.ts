import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseRules } from '../../../src/config/load-rules.js';
import { UsageError } from '../../../src/errors/index.js';

const fail = (text: string, file = 'rules.yaml'): UsageError => {
  try {
    parseRules(text, file);
  } catch (error) {
    if (error instanceof UsageError) return error;
    throw error;
  }
  throw new Error('expected the rules to be rejected');
};

describe('parseRules', () => {
  it("accepts seed 001's example verbatim, null sections included, with defaults filled in", () => {
    const { rules } = parseRules(readFileSync('examples/seed-001.rules.yaml', 'utf8'), 'seed.yaml');
    expect(rules.collections.map((c) => c.pattern)).toEqual(['pmInvestigator', 'pmProject', 'pmStudy']);
    expect(rules.collections[0]!.fields.map((f) => [f.path, f.transform])).toEqual([
      ['Email', 'hash_email'],
      ['FirstName', 'sequential'],
      ['LastName', 'sequential_suffix'],
      ['Auth0Id', 'hash'],
    ]);
    expect(rules.collections[0]!.fields[0]!.options).toEqual({
      domain: 'anonymized.dbfork.local',
      length: 12,
    });
    expect(rules.collections[0]!.fields[0]!.onTypeMismatch).toBe('error');
    expect(rules.collections[2]!.fields).toEqual([]);
    expect(rules.exclusions).toEqual(['asFileListing', 'pmAuditLog', 'system.sessions']);
    expect(rules.sizeLimits).toEqual([
      { pattern: 'pmStudy', maxDocuments: 10000, order: '_id' },
      { pattern: 'pmProject', maxDocuments: 100, order: '_id' },
    ]);
  });

  it('accepts JSON, and the digest depends on meaning, not on layout or format', () => {
    const yaml = parseRules('rules:\n  c:\n    fields:\n      e: { transform: hash_email }\n', 'a.yaml');
    const json = parseRules(
      '{"rules": {"c": {"fields": {"e": {"transform": "hash_email", "length": 12}}}}}',
      'a.json',
    );
    expect(json.digest).toBe(yaml.digest);
    expect(yaml.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    const changed = parseRules(
      'rules:\n  c:\n    fields:\n      e: { transform: hash_email, length: 10 }\n',
      'a.yaml',
    );
    expect(changed.digest).not.toBe(yaml.digest);
  });

  it('an unknown transform: one error with file:line:column, the value path and a suggestion', () => {
    const error = fail(
      'rules:\n  pmInvestigator:\n    fields:\n      Email:\n        transform: hash_emial\n',
    );
    expect(error.code).toBe('RULES_UNKNOWN_TRANSFORM');
    expect(error.subject).toMatchObject({
      file: 'rules.yaml',
      line: 5,
      fieldPath: 'rules.pmInvestigator.fields.Email.transform',
    });
    expect(error.message).toMatch(
      /^rules\.yaml:5:\d+: unknown transform "hash_emial" \(did you mean "hash_email"\?\)/,
    );
    expect(error.exitCode).toBe(2);
  });

  it('a bad field path: RULES_BAD_PATH at the key line, in fields and in keep', () => {
    const error = fail(
      'rules:\n  c:\n    fields:\n      ok: { transform: hash }\n      "a..b": { transform: hash }\n',
    );
    expect(error).toMatchObject({
      code: 'RULES_BAD_PATH',
      subject: { line: 5, fieldPath: 'rules.c.fields.a..b' },
    });
    expect(fail('rules:\n  c:\n    keep:\n      - good\n      - $bad\n')).toMatchObject({
      code: 'RULES_BAD_PATH',
      subject: { line: 5 },
    });
    expect(fail('rules:\n  c:\n    fields:\n      "a*": { transform: hash }\n').code).toBe('RULES_BAD_PATH');
  });

  it('a YAML syntax error: RULES_SYNTAX with the line', () => {
    const error = fail('rules:\n  c:\n    fields:\n      x: [transform: hash\n', 'broken.yaml');
    expect(error.code).toBe('RULES_SYNTAX');
    expect(error.subject.file).toBe('broken.yaml');
    expect(error.subject.line).toBeGreaterThanOrEqual(4);
    expect(error.message).toMatch(/^broken\.yaml:\d+:\d+: /);
  });

  it('duplicate keys are syntax errors (no silent override)', () => {
    expect(
      fail('rules:\n  c:\n    fields:\n      x: { transform: hash }\n      x: { transform: unset }\n').code,
    ).toBe('RULES_SYNTAX');
  });

  it.each([
    [
      'an unknown option (typo)',
      'x: { transform: mask, keep_frist: 2 }',
      /unknown option "keep_frist" for transform mask/,
    ],
    ['a missing required option', 'x: { transform: date_shift }', /missing required option "max_days"/],
    ['a constant without value', 'x: { transform: constant }', /missing required option "value"/],
    [
      'a regex that does not compile',
      'x: { transform: regex_replace, pattern: "(", replacement: "" }',
      /pattern does not compile/,
    ],
    [
      'a template using a raw field',
      'x: { transform: template, template: "{y}" }',
      /template uses \{y\}, which is neither transformed nor in keep/,
    ],
    ['overlapping paths', 'a: { transform: hash }\n      a.b: { transform: hash }', /overlaps a/],
    ['unique on a constant transform', 'x: { transform: "null", unique: true }', /cannot be unique/],
  ])('rejects %s', (_name, fields, message) => {
    const error = fail(`rules:\n  c:\n    fields:\n      ${fields}\n`);
    expect(error.message).toMatch(message);
    expect(error.subject.line).toBeGreaterThanOrEqual(4);
  });

  it('rejects a group used with different transforms or options', () => {
    const error = fail(
      'rules:\n  a:\n    fields:\n      e: { transform: hash_email, group: email }\n  b:\n    fields:\n      e: { transform: hash_email, group: email, length: 8 }\n',
    );
    expect(error).toMatchObject({ code: 'RULES_INVALID', subject: { line: 7 } });
    expect(error.message).toMatch(/group "email" is used with a different transform or options than at a\.e/);
  });

  it('rejects an empty file', () => {
    expect(fail('# nothing\n').code).toBe('RULES_INVALID');
  });
});
