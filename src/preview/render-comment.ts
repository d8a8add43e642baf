import { commentMarker } from './comment-marker.js';
import { formatTimestamp } from './format-timestamp.js';
import type { PreviewCommentKind } from './preview-action.js';
import type { PreviewConfigError } from './preview-config.js';
import type { PreviewLabels, PreviewSource } from './preview-settings.js';

/** What a comment may mention. */
export interface CommentFacts {
  readonly eventId: string;
  readonly number: number;
  readonly database: string;
  readonly labels: PreviewLabels;
  readonly source: PreviewSource;
  readonly locked: boolean;
  /** When the snapshot was taken (ISO 8601), when known. */
  readonly takenAt?: string | null;
  readonly headSha?: string | null;
  readonly staging?: string;
  readonly configError?: PreviewConfigError;
  readonly quota?: { readonly max: number; readonly count: number };
}

const SOURCE_LINE: Readonly<Record<PreviewSource, string>> = {
  seed: '🌱 **Seed Data**',
  snapshot: '🗄️ **Production Snapshot**',
  staging: '🧪 **Staging Clone**',
};

/**
 * The markdown of one comment (a label reverted, a lock taken or released, a database created,
 * refreshed, kept or dropped; docs/previews.md lists them), ending with the
 * event's hidden marker. Pure.
 */
export function renderComment(kind: PreviewCommentKind, f: CommentFacts): string {
  return `${body(kind, f)}\n\n${commentMarker(f.eventId)}`;
}

function body(kind: PreviewCommentKind, f: CommentFacts): string {
  const db = `\`${f.database}\``;
  const persist = `\`${f.labels.persistDb}\``;
  const snap = `\`${f.labels.useSnapshot}\``;
  switch (kind) {
    case 'preview-building':
      return previewBuilding(f);
    case 'snapshot-recreated':
      return `🗄️ **Database recreated from production snapshot** (taken: ${formatTimestamp(f.takenAt)})\n\n${db} was dropped and restored from the snapshot.`;
    case 'snapshot-enable-blocked':
      return `⚠️ **Cannot enable snapshot mode**: Database is locked by ${persist} label.\n\nThe ${snap} label has been automatically removed.\n\nTo refresh the database from production snapshot:\n1. Remove the ${persist} label first\n2. Then add the ${snap} label`;
    case 'snapshot-disable-blocked':
      return `⚠️ **Cannot disable snapshot mode**: Database is locked by ${persist} label.\n\nThe ${snap} label has been automatically restored.\n\nTo change the data source:\n1. Remove the ${persist} label first\n2. Then remove the ${snap} label`;
    case 'seed-dropped':
      return `🌱 **Database dropped.** Fresh ${f.source === 'seed' ? 'seed data' : `data (${f.source})`} will be created on next sync.`;
    case 'locked':
      return `🔒 **Database is now LOCKED**\n\nThe ${persist} label has been added. Your database (${db}) will now be protected:\n- ✅ Database will NOT be dropped on rebuild\n- ✅ Database will NOT be deleted when PR is closed/merged\n- ✅ Changes to ${snap} label will be blocked\n\n**To unlock:** Remove the ${persist} label. If the PR is closed, this will immediately delete the database.`;
    case 'unlocked':
      return `🔓 **Database unlocked**\n\nThe ${persist} label has been removed. On the next sync, your database will be ${f.source === 'snapshot' ? 'refreshed from production snapshot' : f.source === 'staging' ? 'cloned from staging again' : 'reset with fresh seed data'} (snapshot: ${f.source === 'snapshot' ? 'yes' : 'no'}).\n\nIf you don't push a new commit, you can manually trigger a sync from ArgoCD.`;
    case 'dropped-unlocked-closed':
      return `🗑️ **Database deleted**\n\nThe ${persist} label was removed from this closed PR, triggering immediate database cleanup.\n\nDatabase ${db} has been dropped (persist-db lock removed on closed PR).`;
    case 'kept-locked-closed':
      return `⚠️ **Database ${db} was NOT deleted** because the ${persist} label is present.\n\nTo delete: Remove the ${persist} label from this PR (even though it's closed) and the database will be automatically dropped.`;
    case 'deleted':
      return `✅ Database ${db} deleted`;
    case 'config-error':
      return configError(f);
    case 'quota-exceeded':
      return `⛔ **Preview database not created**: ${f.quota?.count ?? '?'} PR databases exist already, the most allowed at once is ${f.quota?.max ?? '?'}.\n\nClose or clean up another preview (or remove its ${persist} label), then push a commit or trigger a sync.`;
  }
}

function previewBuilding(f: CommentFacts): string {
  const source =
    f.source === 'snapshot'
      ? `${SOURCE_LINE.snapshot} (→ \`${f.database}\`)`
      : f.source === 'staging'
        ? `${SOURCE_LINE.staging} (\`${f.staging ?? 'staging'}\` → \`${f.database}\`)`
        : SOURCE_LINE.seed;
  const notes: string[] = [];
  if (f.source === 'snapshot') notes.push(`📅 Snapshot taken: **${formatTimestamp(f.takenAt)}**`);
  if (f.locked) {
    notes.push('🔒 Database is **LOCKED** - it will not be modified or deleted on rebuild or PR close.');
    if (f.source !== 'snapshot')
      notes.push(
        `Add the \`${f.labels.useSnapshot}\` label to use production data instead (must remove \`${f.labels.persistDb}\` first).`,
      );
  } else if (f.source === 'snapshot') notes.push('Data will be refreshed from snapshot on each rebuild.');
  else notes.push(`Add the \`${f.labels.useSnapshot}\` label to use production data instead.`);
  const rows = [
    '| Setting | Value |',
    '|---------|-------|',
    `| **Database** | \`${f.database}\` |`,
    `| **Data Source** | ${source} |`,
    ...(f.headSha ? [`| **Commit** | \`${f.headSha}\` |`] : []),
  ];
  return `## 🚀 Preview Environment Building\n\nA preview environment is being built for this PR.\n\n### Environment Details\n\n${rows.join('\n')}\n\n### Notes\n\n${notes.join('\n')}`;
}

function configError(f: CommentFacts): string {
  const e = f.configError;
  if (!e) return '⚠️ **Invalid `#preview-config` block**';
  return `⚠️ **Invalid \`#preview-config\` block** (line ${e.line} of the description): ${e.message}\n\n\`\`\`\n${e.quote.replaceAll('```', "'''")}\n\`\`\`\n\nThe database was left as it is. Fix the block in the description, then push a commit or trigger a sync.`;
}
