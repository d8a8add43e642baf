import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseRules } from '../../../src/config/load-rules.js';

describe('examples/*.rules.yaml', () => {
  const files = readdirSync('examples').filter((f) => f.endsWith('.rules.yaml'));
  it('there are examples', () => expect(files.length).toBeGreaterThanOrEqual(2));
  it.each(files)('%s loads', (file) => {
    const loaded = parseRules(readFileSync(`examples/${file}`, 'utf8'), file);
    expect(loaded.rules.collections.length).toBeGreaterThan(0);
  });
});
