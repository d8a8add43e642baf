import { describe, expect, it } from 'vitest';
import { databaseStateFromLabels } from '../../../src/action/database-state-from-labels.js';
import type { PreviewEvent } from '../../../src/preview/preview-input.js';
import { DEFAULT_PREVIEW_SETTINGS, previewSettings } from '../../../src/preview/preview-settings.js';

const pr = (labels: string[]) => ({ number: 4, state: 'open' as const, merged: false, body: null, labels });
const ev = (kind: PreviewEvent['kind'], label?: string): PreviewEvent => ({
  kind,
  id: 'x',
  ...(label ? { label } : {}),
});

describe('the database state the labels before an event imply', () => {
  it.each([
    [
      'opened with every label: nothing exists yet',
      ev('opened'),
      ['preview', 'persist-db'],
      false,
      false,
      null,
    ],
    [
      'persist-db just added: exists, not locked yet',
      ev('labeled', 'persist-db'),
      ['preview', 'persist-db'],
      true,
      false,
      null,
    ],
    [
      'use-snapshot added while locked',
      ev('labeled', 'use-snapshot'),
      ['preview', 'persist-db', 'use-snapshot'],
      true,
      true,
      null,
    ],
    [
      'use-snapshot removed while locked: it held a snapshot',
      ev('unlabeled', 'use-snapshot'),
      ['preview', 'persist-db'],
      true,
      true,
      'snapshot',
    ],
    ['persist-db removed: it was locked', ev('unlabeled', 'persist-db'), ['preview'], true, true, null],
    ['preview just added: no database before', ev('labeled', 'preview'), ['preview'], false, false, null],
  ] as const)('%s', (_name, event, labels, exists, locked, source) => {
    expect(databaseStateFromLabels(event, pr([...labels]), DEFAULT_PREVIEW_SETTINGS)).toEqual({
      exists,
      locked,
      source,
    });
  });

  it('without the preview label requirement, a database exists after the opening', () => {
    const settings = previewSettings({ requirePreviewLabel: false });
    expect(databaseStateFromLabels(ev('synchronize'), pr([]), settings).exists).toBe(true);
  });
});
