import { describe, expect, it } from 'vitest';
import {
  ArchiveError,
  EXIT_CODES,
  InternalError,
  PolicyError,
  SourceError,
  StoreError,
  TargetError,
  TransformError,
  UsageError,
} from '../../../src/errors/index.js';

describe('error taxonomy', () => {
  it('maps each category to its own exit code', () => {
    const errors = [
      new UsageError('X', 'x'),
      new SourceError('X', 'x'),
      new ArchiveError('X', 'x'),
      new TransformError('X', 'x'),
      new StoreError('X', 'x'),
      new TargetError('X', 'x'),
      new PolicyError('X', 'x'),
      new InternalError('x'),
    ];
    const codes = errors.map((e) => e.exitCode);
    expect(new Set(codes).size).toBe(errors.length);
    expect(codes).toEqual(errors.map((e) => EXIT_CODES[e.category]));
    expect(codes).not.toContain(0);
    expect(codes).not.toContain(1);
  });

  it('carries code, subject, hint and labels into JSON', () => {
    const e = new ArchiveError('ARCHIVE_CRC_MISMATCH', 'CRC mismatch', {
      subject: { namespace: 'db.c', offset: 120 },
      hint: 'the archive is corrupt',
      labels: ['noWritesPerformed'],
    });
    expect(e.toJSON()).toEqual({
      code: 'ARCHIVE_CRC_MISMATCH',
      category: 'archive',
      message: 'CRC mismatch',
      hint: 'the archive is corrupt',
      subject: { namespace: 'db.c', offset: 120 },
      labels: ['noWritesPerformed'],
    });
    expect(e.hasLabel('noWritesPerformed')).toBe(true);
  });
});
