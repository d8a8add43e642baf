import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseRules } from '../../../src/config/load-rules.js';
import { isDbforkError } from '../../../src/errors/index.js';
import { recordScenario } from '../../helpers/reliability-record.js';
import { REPO_ROOT } from '../../helpers/servers.js';

const FILE = 'fuzzed.rules.yaml';
const BASES = ['atlas-sample.rules.yaml', 'seed-001.rules.yaml'].map((f) =>
  readFileSync(join(REPO_ROOT, 'examples', f), 'utf8'),
);

/** Edits a careless hand makes to a YAML file: a stray character, a lost line, a wrong indent, a wrong value. */
const edit = (text: string): fc.Arbitrary<string> => {
  const lines = text.split('\n');
  const at = fc.nat(Math.max(0, text.length - 1));
  const line = fc.nat(lines.length - 1);
  const junk = fc.constantFrom(
    ':',
    ' ',
    '-',
    '{',
    '}',
    '[',
    ']',
    '"',
    "'",
    '#',
    '\t',
    '\n',
    'x',
    '0',
    '*',
    '&',
    '!',
    '|',
    '%',
  );
  const value = fc.constantFrom(
    '42',
    '[]',
    '{}',
    'null',
    'true',
    '"',
    'hash_emial',
    '-1',
    '~',
    'fake',
    '{ transform: }',
  );
  return fc.oneof(
    fc.tuple(at, junk).map(([i, c]) => text.slice(0, i) + c + text.slice(i + 1)),
    fc.tuple(at, junk).map(([i, c]) => text.slice(0, i) + c + text.slice(i)),
    fc.tuple(at, fc.nat(12)).map(([i, n]) => text.slice(0, i) + text.slice(i + n)),
    line.map((i) => lines.filter((_, j) => j !== i).join('\n')),
    fc
      .tuple(line, fc.integer({ min: -4, max: 4 }))
      .map(([i, d]) =>
        lines.map((l, j) => (j === i ? (d > 0 ? ' '.repeat(d) + l : l.slice(-d)) : l)).join('\n'),
      ),
    fc
      .tuple(line, value)
      .map(([i, v]) =>
        lines
          .map((l, j) => (j === i && l.includes(':') ? `${l.slice(0, l.lastIndexOf(':') + 1)} ${v}` : l))
          .join('\n'),
      ),
    fc
      .tuple(line, line)
      .map(([i, j]) => [...lines.slice(0, j), lines[i] ?? '', ...lines.slice(j)].join('\n')),
  );
};

describe('rules files with random mutations', () => {
  it('either load or fail with exit 2, file:line and (for a value) the field path; never a crash', () => {
    const tally = { runs: 0, loaded: 0, refused: 0, withPath: 0 };
    for (const [i, base] of BASES.entries()) {
      fc.assert(
        fc.property(edit(base), (text) => {
          tally.runs++;
          let error: unknown;
          try {
            parseRules(text, FILE);
            tally.loaded++;
            return;
          } catch (e) {
            error = e;
          }
          expect(isDbforkError(error), String(error)).toBe(true);
          if (!isDbforkError(error)) return;
          expect(error.exitCode, error.message).toBe(2);
          expect(error.message).toMatch(new RegExp(`^${FILE.replace(/\./g, '\\.')}:\\d+(:\\d+)?: `));
          expect(error.subject).toMatchObject({ file: FILE, line: expect.any(Number) as number });
          if (/ at [\w[\].*-]+$/.test(error.message)) {
            expect(typeof error.subject.fieldPath).toBe('string');
            tally.withPath++;
          }
          tally.refused++;
        }),
        { numRuns: 400, seed: 1800 + i },
      );
    }
    expect(tally.refused).toBeGreaterThan(100);
    recordScenario({
      group: 'fuzz',
      scenario: 'rules files with random edits (examples/*.rules.yaml)',
      runs: tally.runs,
      survived: tally.loaded + tally.refused,
      nothingLost: true,
      detail: `exit 2 with file:line: ${tally.refused} (field path: ${tally.withPath}); still valid: ${tally.loaded}; crashes: 0`,
    });
  });
});
