import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  collectionFileStem,
  collectionFromFileStem,
  queryEscape,
  queryUnescape,
} from '../../../src/archive/file-name-escape.js';

/** Ground truth computed by Go itself (see the fixture's _comment). */
const { vectors } = JSON.parse(
  readFileSync(new URL('./fixtures/go-file-stems.json', import.meta.url), 'utf8'),
) as { vectors: Record<string, string> };

describe('mongodump file-name escaping', () => {
  it('matches Go url.QueryEscape + the >238-byte sha1 rule on every vector', () => {
    expect(Object.keys(vectors).length).toBeGreaterThanOrEqual(15);
    for (const [name, stem] of Object.entries(vectors)) expect(collectionFileStem(name), name).toBe(stem);
  });

  it('escapes space as +, $ and / as %XX, keeps [A-Za-z0-9-_.~], and is not encodeURIComponent', () => {
    expect(queryEscape('with space')).toBe('with+space');
    expect(queryEscape('a$b/c')).toBe('a%24b%2Fc');
    expect(queryEscape('Az09-_.~')).toBe('Az09-_.~');
    expect(queryEscape("!'()*")).toBe('%21%27%28%29%2A');
    expect(encodeURIComponent("!'()*")).not.toBe(queryEscape("!'()*"));
    expect(queryEscape('é')).toBe('%C3%A9');
  });

  it('keeps stems at most 238 bytes, so <stem>.metadata.json.gz fits in 255 bytes', () => {
    for (const name of ['a'.repeat(239), 'é'.repeat(500), '/'.repeat(80), 'x'.repeat(10_000)]) {
      const stem = collectionFileStem(name);
      expect(Buffer.byteLength(stem)).toBeLessThanOrEqual(238);
      expect(Buffer.byteLength(stem + '.metadata.json.gz')).toBeLessThanOrEqual(255);
      expect(stem.slice(208, 211)).toBe('%24');
    }
    expect(collectionFileStem('a'.repeat(238))).toBe('a'.repeat(238));
  });

  it('inverts the escaping for every name that is not hashed', () => {
    for (const name of Object.keys(vectors)) {
      const stem = collectionFileStem(name);
      if (stem === queryEscape(name)) expect(collectionFromFileStem(stem)).toBe(name);
    }
    expect(queryUnescape('with+space%2Fslash')).toBe('with space/slash');
  });

  it('refuses invalid escapes and invalid UTF-8', () => {
    expect(queryUnescape('bad%2')).toBeUndefined();
    expect(queryUnescape('bad%zz')).toBeUndefined();
    expect(queryUnescape('%C3')).toBeUndefined();
    expect(collectionFromFileStem('%ff%fe')).toBeUndefined();
  });
});
