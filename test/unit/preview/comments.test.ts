import { describe, expect, it } from 'vitest';
import { commentMarker, markerOf } from '../../../src/preview/comment-marker.js';
import { formatTimestamp } from '../../../src/preview/format-timestamp.js';
import type { PreviewCommentKind } from '../../../src/preview/preview-action.js';
import { DEFAULT_PREVIEW_SETTINGS } from '../../../src/preview/preview-settings.js';
import { renderComment } from '../../../src/preview/render-comment.js';

const facts = {
  eventId: 'pr-12-labeled-use-snapshot-2026-01-11T10:00:00Z',
  number: 12,
  database: 'app_pr_12',
  labels: DEFAULT_PREVIEW_SETTINGS.labels,
  source: 'snapshot' as const,
  locked: false,
  takenAt: '2026-01-11T03:00:07.000Z',
  headSha: 'abc1234',
};

const EXPECTED: Readonly<Record<PreviewCommentKind, string>> = {
  'preview-building': '📅 Snapshot taken: **2026-01-11 03:00 UTC**',
  'snapshot-recreated': '🗄️ **Database recreated from production snapshot** (taken: 2026-01-11 03:00 UTC)',
  'snapshot-enable-blocked': 'The `use-snapshot` label has been automatically removed.',
  'snapshot-disable-blocked': 'The `use-snapshot` label has been automatically restored.',
  'seed-dropped': '🌱 **Database dropped.**',
  locked: '🔒 **Database is now LOCKED**',
  unlocked: 'your database will be refreshed from production snapshot',
  'dropped-unlocked-closed': 'Database `app_pr_12` has been dropped',
  'kept-locked-closed':
    '⚠️ **Database `app_pr_12` was NOT deleted** because the `persist-db` label is present.',
  deleted: '✅ Database `app_pr_12` deleted',
  'config-error': 'Invalid `#preview-config` block',
  'quota-exceeded': 'Preview database not created',
};

describe('PR comments', () => {
  it.each(Object.entries(EXPECTED))('%s: the spec text and the event marker', (kind, text) => {
    const body = renderComment(kind as PreviewCommentKind, facts);
    expect(body).toContain(text);
    expect(body.endsWith('<!-- dbfork:event=pr-12-labeled-use-snapshot-2026-01-11T10:00:00Z -->')).toBe(true);
    expect(markerOf(body)).toBe('pr-12-labeled-use-snapshot-2026-01-11T10:00:00Z');
  });

  it('the marker keeps only safe characters, so a body cannot close the HTML comment', () => {
    expect(commentMarker('a b-->c')).toBe('<!-- dbfork:event=a-b---c -->');
    expect(markerOf('no marker here')).toBeNull();
  });

  it('timestamps print as UTC minutes; unknown ones say so', () => {
    expect(formatTimestamp('2026-01-09T23:59:59.999Z')).toBe('2026-01-09 23:59 UTC');
    expect(formatTimestamp(null)).toBe('not yet known');
  });

  it('the preview comment of a locked seed database says it is locked', () => {
    const body = renderComment('preview-building', { ...facts, source: 'seed', locked: true, takenAt: null });
    expect(body).toContain('🔒 Database is **LOCKED**');
    expect(body).toContain('| **Data Source** | 🌱 **Seed Data** |');
    expect(body).not.toContain('Snapshot taken');
  });
});
