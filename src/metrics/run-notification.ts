import type { RunFigures } from './run-report.js';

/** What a completion or failure notification says about one run. Never a secret or credential. */
export interface RunNotice {
  /** Command words, e.g. `snapshot create`. */
  readonly command: string;
  readonly outcome: 'succeeded' | 'failed' | 'interrupted';
  readonly durationMs: number;
  /** The run's subject, as the audit record gives it (credentials already stripped). */
  readonly source: Readonly<Record<string, unknown>>;
  readonly target: Readonly<Record<string, unknown>>;
  readonly actor: string;
  /** The summary table's figures, when the run had any. */
  readonly figures?: RunFigures;
  readonly error?: { readonly code: string; readonly message: string };
  /** The audit run id, to find the records. */
  readonly runId: string;
}

/** A webhook's payload shape: Slack's incoming-webhook message, or dbfork's plain JSON. */
export type WebhookShape = 'slack' | 'json';

/**
 * The shape a `--notify` URL gets: `slack+https://…` (the prefix dropped) and any
 * `hooks.slack.com` URL get Slack's message shape; any other URL the plain JSON.
 */
export function webhookOf(url: string): { readonly url: string; readonly shape: WebhookShape } {
  if (url.startsWith('slack+')) return { url: url.slice('slack+'.length), shape: 'slack' };
  return { url, shape: /^https:\/\/hooks\.slack\.com\//.test(url) ? 'slack' : 'json' };
}

/**
 * The body posted for a run. Slack shape (https://api.slack.com/messaging/webhooks): `text` (the
 * fallback line) and `blocks` (a section with the line, a fields section with the figures). Plain
 * JSON: `{type: "dbfork.run", schemaVersion: 1, text, …RunNotice}` (Slack-compatible servers that
 * read `text` show the line).
 */
export function notificationBody(notice: RunNotice, shape: WebhookShape): Record<string, unknown> {
  const text = summaryLine(notice);
  if (shape === 'json') return { type: 'dbfork.run', schemaVersion: 1, text, ...notice };
  const f = notice.figures;
  const fields = [
    ['Outcome', notice.outcome],
    ['Duration', `${(notice.durationMs / 1000).toFixed(1)} s`],
    ...(f
      ? [
          ['Collections', String(f.collections.length)],
          ['Documents', String(f.documents)],
          ['Bytes', String(f.bytes)],
        ]
      : []),
    ['Actor', notice.actor],
    ...(notice.error ? [['Error', `${notice.error.code}: ${notice.error.message}`]] : []),
  ];
  return {
    text,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text } },
      { type: 'section', fields: fields.map(([k, v]) => ({ type: 'mrkdwn', text: `*${k}*\n${v}` })) },
    ],
  };
}

/** `dbfork restore succeeded: prod@latest → app_staging (3 collections, 1200 documents, 5.2 s)`. */
export function summaryLine(n: RunNotice): string {
  const from = n.source.snapshot ?? n.source.name ?? n.source.db ?? n.source.instance ?? n.source.store;
  const to = n.target.db ?? n.target.instance ?? n.target.pr;
  const route = [from, to]
    .filter((v) => v !== undefined)
    .map(String)
    .join(' → ');
  const figures = n.figures
    ? `${n.figures.collections.length} collections, ${n.figures.documents} documents, `
    : '';
  const error = n.error ? `; ${n.error.code}` : '';
  return `dbfork ${n.command} ${n.outcome}${route ? `: ${route}` : ''} (${figures}${(n.durationMs / 1000).toFixed(1)} s${error})`;
}
