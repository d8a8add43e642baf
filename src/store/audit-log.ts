import { readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { z } from 'zod';
import { newSnapshotId } from './snapshot-id.js';
import type { ObjectStore } from './object-store.js';
import { readObjectJson } from './object-text.js';

/**
 * The audit log in a store: `audit/<YYYY-MM-DD>/<id>.json`, one small JSON record per event,
 * append-only (created with a create-only put where the store has one, and never rewritten; ids
 * are time-ordered and unique). A record names who acted (from the environment: a CI job, a
 * Kubernetes service account, the OS user), what on what (source and target, never credentials)
 * and how it ended. Every audited command writes a `started` record before its first effect and an
 * end record (`succeeded`, `failed`, or `interrupted` on SIGINT/SIGTERM); a run killed outright has
 * only its `started` record, which `audit list` shows as interrupted (see audit-runs.ts).
 * `backup restore --disaster-recovery` writes its own detailed records besides.
 */

const ActorSchema = z.object({
  /** Where the identity comes from. */
  kind: z.enum(['explicit', 'github-actions', 'gitlab-ci', 'ci', 'kubernetes', 'user']),
  /** Who: `github:octocat`, `system:serviceaccount:prod:backup`, `alice`. */
  name: z.string(),
  /** Job, run or pod identifiers that let a reader find the run (no secrets). */
  detail: z.record(z.string(), z.string()),
});

export const AuditRecordSchema = z.object({
  schemaVersion: z.literal(1),
  id: z.string(),
  /** ISO 8601 UTC. */
  at: z.string(),
  /** What was done, e.g. `backup.restore`. */
  action: z.string(),
  /** Links the records of one run (`started`, then its outcome). */
  runId: z.string(),
  outcome: z.enum(['started', 'succeeded', 'failed', 'interrupted']),
  /** The command line's command words, e.g. `snapshot create` (absent in older records). */
  command: z.string().optional(),
  /** The host and process that wrote the record, to tell a live run from a killed one. */
  host: z.string().optional(),
  pid: z.number().int().optional(),
  /** Digest of the anonymization rules in use (`sha256:…`), null when none or unknown. */
  rulesDigest: z.string().nullable().optional(),
  /** Whether the data written is anonymized: true, false (raw by choice), null when not known. */
  anonymized: z.boolean().nullable().optional(),
  actor: ActorSchema,
  /** Where the data came from: store URL, snapshot, its source URI without user info. */
  source: z.record(z.string(), z.unknown()),
  /** Where it went: URI without user info, databases. */
  target: z.record(z.string(), z.unknown()),
  /** The error of a failed run (code and scrubbed message). */
  error: z.object({ code: z.string(), message: z.string() }).optional(),
  details: z.record(z.string(), z.unknown()).optional(),
});

export type AuditRecord = z.infer<typeof AuditRecordSchema>;
export type AuditActor = z.infer<typeof ActorSchema>;

const SERVICE_ACCOUNT_NAMESPACE = '/var/run/secrets/kubernetes.io/serviceaccount/namespace';

/**
 * Who is acting, from the environment, first match wins: `DBFORK_ACTOR`; GitHub Actions
 * (`GITHUB_ACTOR`, repository, run id); GitLab CI (`GITLAB_USER_LOGIN`, job id); any other CI
 * (`CI`); Kubernetes (`KUBERNETES_SERVICE_HOST`: the pod's namespace, and the service account from
 * `POD_SERVICE_ACCOUNT`, set from the downward API's `spec.serviceAccountName`); else the OS user.
 */
export function detectActor(env: NodeJS.ProcessEnv = process.env): AuditActor {
  const pick = (keys: readonly string[]): Record<string, string> =>
    Object.fromEntries(keys.flatMap((k) => (env[k] ? [[k, env[k]]] : [])));
  if (env.DBFORK_ACTOR) return { kind: 'explicit', name: env.DBFORK_ACTOR, detail: {} };
  if (env.GITHUB_ACTIONS === 'true')
    return {
      kind: 'github-actions',
      name: `github:${env.GITHUB_ACTOR ?? 'unknown'}`,
      detail: pick(['GITHUB_REPOSITORY', 'GITHUB_WORKFLOW', 'GITHUB_RUN_ID', 'GITHUB_JOB']),
    };
  if (env.GITLAB_CI === 'true')
    return {
      kind: 'gitlab-ci',
      name: `gitlab:${env.GITLAB_USER_LOGIN ?? 'unknown'}`,
      detail: pick(['CI_PROJECT_PATH', 'CI_PIPELINE_ID', 'CI_JOB_ID']),
    };
  if (env.KUBERNETES_SERVICE_HOST) {
    const namespace = env.POD_NAMESPACE ?? readNamespace() ?? 'unknown';
    return {
      kind: 'kubernetes',
      name: `system:serviceaccount:${namespace}:${env.POD_SERVICE_ACCOUNT ?? 'unknown'}`,
      detail: pick(['HOSTNAME']),
    };
  }
  if (env.CI)
    return { kind: 'ci', name: `ci:${osUser()}`, detail: pick(['BUILD_ID', 'BUILD_URL', 'CI_JOB_ID']) };
  return { kind: 'user', name: osUser(), detail: {} };
}

/** `audit/<YYYY-MM-DD>/`: the records of one UTC day. */
export function auditPrefix(day: string): string {
  return `audit/${day}/`;
}

/**
 * Append one record: `audit/<day of record.at>/<record.id>.json`, create-only where the store can.
 * @returns its key
 * @throws StoreError `STORE_PRECONDITION_FAILED` if the id exists (never, ids are unique), `STORE_WRITE_FAILED`
 */
export async function appendAuditRecord(store: ObjectStore, record: AuditRecord): Promise<string> {
  const key = `${auditPrefix(record.at.slice(0, 10))}${record.id}.json`;
  await store.put(key, JSON.stringify(AuditRecordSchema.parse(record)) + '\n', {
    ...(store.conditionalPut ? { ifAbsent: true } : {}),
  });
  return key;
}

/** A new record id (time-ordered, unique) for an instant. */
export function newAuditId(at: Date): string {
  return newSnapshotId(at);
}

/** The records of one UTC day, oldest first (unreadable ones left out). */
export async function readAuditDay(store: ObjectStore, day: string): Promise<AuditRecord[]> {
  const { objects } = await store.list(auditPrefix(day), { delimiter: '/' });
  const out: AuditRecord[] = [];
  for (const { key } of objects) {
    const parsed = AuditRecordSchema.safeParse(await readObjectJson(store, key));
    if (parsed.success) out.push(parsed.data);
  }
  return out;
}

function readNamespace(): string | null {
  try {
    return readFileSync(SERVICE_ACCOUNT_NAMESPACE, 'utf8').trim() || null;
  } catch {
    return null;
  }
}

function osUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}

/**
 * The records from the UTC day of `since` on (each day's listing read whole), oldest first,
 * at or after `since`.
 */
export async function readAuditSince(store: ObjectStore, since: Date): Promise<AuditRecord[]> {
  const first = since.toISOString().slice(0, 10);
  const { prefixes } = await store.list('audit/', { delimiter: '/' });
  const days = prefixes.map((p) => p.slice('audit/'.length, -1)).filter((d) => d >= first);
  const out: AuditRecord[] = [];
  for (const day of days.sort()) out.push(...(await readAuditDay(store, day)));
  const from = since.toISOString();
  return out.filter((r) => r.at >= from);
}
