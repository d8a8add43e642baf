import { describe, expect, it } from 'vitest';
import { findConfigBlock } from '../../../src/preview/find-config-block.js';
import { parsePreviewConfig } from '../../../src/preview/preview-config.js';

const opts = { snapshotByLabel: false, allowRawSnapshots: false };

// the PR template of seed 001, filled in
const TEMPLATE = [
  '## Preview Environment Configuration (Optional)',
  '',
  '```yaml',
  '#preview-config',
  'database:',
  '  # Data source: seed (default), snapshot, or staging',
  '  source: snapshot',
  '  snapshotId: latest # or specific date: "2026-01-09"',
  '  collections:',
  '    - pmProject',
  '    - pmStudy',
  'web:',
  '  featureFlags:',
  '    experimentalFeature: true',
  '```',
].join('\n');

describe('#preview-config', () => {
  it('reads the fenced block of the PR template and ignores its web: block', () => {
    expect(parsePreviewConfig(TEMPLATE, opts)).toEqual({
      ok: true,
      found: true,
      config: {
        source: 'snapshot',
        snapshotId: 'latest',
        select: 'latest',
        anonymize: true,
        collections: ['pmProject', 'pmStudy'],
      },
    });
  });

  it('reads an unfenced block up to the first blank line', () => {
    const body = 'Some text\n#preview-config\ndatabase:\n  source: staging\n\nsource: not-yaml-of-the-block';
    const r = parsePreviewConfig(body, opts);
    expect(r).toMatchObject({ ok: true, config: { source: 'staging' } });
    expect(findConfigBlock(body)?.firstLine).toBe(3);
  });

  it('no block: defaults', () => {
    expect(parsePreviewConfig('just a description', opts)).toEqual({
      ok: true,
      found: false,
      config: { snapshotId: 'latest', select: 'latest', anonymize: true, collections: [] },
    });
    expect(parsePreviewConfig(null, opts).ok).toBe(true);
  });

  it.each([
    ['latest', 'latest'],
    ['"2026-01-09"', 'date'],
    ['2026-01-09', 'date'],
    ['20261122T032900123Z-9f3a', 'id'],
    ['2026-01-09-daily', 'id'],
  ])('snapshotId %s is a %s selector', (value, select) => {
    const r = parsePreviewConfig(`#preview-config\ndatabase:\n  snapshotId: ${value}\n`, opts);
    expect(r).toMatchObject({ ok: true, config: { select } });
  });

  it.each([
    ['an unknown source', 'database:\n  source: prod', 3, 'source: prod', 'Invalid option'],
    ['an impossible date', 'database:\n  snapshotId: "2026-02-30"', 3, 'snapshotId', 'UTC date YYYY-MM-DD'],
    ['an unknown database key', 'database:\n  sorce: seed', 3, 'sorce: seed', 'unknown key sorce'],
    ['collections not a list', 'database:\n  collections: pmProject', 3, 'collections', 'expected array'],
    ['a YAML syntax error', 'database:\n  source: [seed', 3, '', ''],
  ])('refuses %s with its line in the description', (_what, yaml, yamlLine, quote, message) => {
    const body = `Intro line\n\n\`\`\`yaml\n#preview-config\n${yaml}\n\`\`\``;
    const r = parsePreviewConfig(body, opts);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    // the YAML starts at line 5 of the description
    expect(r.error.line).toBeGreaterThanOrEqual(4 + yamlLine - 1);
    expect(r.error.line).toBeLessThanOrEqual(4 + yamlLine + 1);
    expect(r.error.quote).toContain(quote);
    expect(r.error.message).toContain(message);
  });

  it('refuses anonymize: false with a snapshot source (block or label) unless raw snapshots are allowed', () => {
    const block = '#preview-config\ndatabase:\n  source: snapshot\n  anonymize: false\n';
    const r = parsePreviewConfig(block, opts);
    expect(r).toMatchObject({
      ok: false,
      error: { line: 4, quote: '  anonymize: false', fieldPath: 'database.anonymize' },
    });
    expect(parsePreviewConfig(block, { ...opts, allowRawSnapshots: true })).toMatchObject({
      ok: true,
      config: { anonymize: false },
    });
    const seed = '#preview-config\ndatabase:\n  anonymize: false\n';
    expect(parsePreviewConfig(seed, opts).ok).toBe(true);
    expect(parsePreviewConfig(seed, { ...opts, snapshotByLabel: true }).ok).toBe(false);
  });
});
