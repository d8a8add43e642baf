import type { ExposureFinding } from '../exposure/store-check-report.js';

/** The statement fields the analysis reads, as IAM policy documents spell them. */
interface Statement {
  readonly Sid?: string;
  readonly Effect?: string;
  readonly Principal?: unknown;
  readonly NotPrincipal?: unknown;
  readonly Action?: string | string[];
  readonly NotAction?: string | string[];
  readonly Resource?: string | string[];
  readonly NotResource?: string | string[];
  readonly Condition?: Record<string, Record<string, unknown>>;
}

const OBJECT_READ = ['s3:GetObject', 's3:GetObjectVersion'];
const LIST = ['s3:ListBucket', 's3:ListBucketVersions'];

/**
 * Condition keys that tie a statement to the caller's network or organisation, as AWS's own public
 * policy evaluation counts them; a statement that sets one to a fixed value is not public.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html#access-control-block-public-access-policy-status
 */
const RESTRICTING_KEYS = new Set(
  [
    'aws:SourceIp',
    'aws:SourceVpc',
    'aws:SourceVpce',
    'aws:SourceArn',
    'aws:SourceAccount',
    'aws:SourceOwner',
    'aws:SourceOrgID',
    'aws:SourceOrgPaths',
    'aws:PrincipalAccount',
    'aws:PrincipalArn',
    'aws:PrincipalOrgID',
    'aws:PrincipalOrgPaths',
    'aws:userid',
    's3:DataAccessPointArn',
    's3:DataAccessPointAccount',
  ].map((k) => k.toLowerCase()),
);

/**
 * The statements of an S3 bucket policy that let anyone (`"*"`, `{"AWS": "*"}`, or `NotPrincipal`)
 * read objects under `prefix` (`s3:GetObject` and what matches it: `s3:Get*`, `s3:*`, `*`) or list
 * the bucket, with no condition restricting the caller to a network, account or organisation. Deny
 * statements are not subtracted, so the answer errs towards public. Pure.
 *
 * @param policy the policy document's text, as `GetBucketPolicy` returns it
 * @param prefix the store's key prefix (`""` for the whole bucket)
 */
export function publicPolicyGrants(policy: string, bucket: string, prefix: string): ExposureFinding[] {
  const doc = JSON.parse(policy) as { Statement?: Statement | Statement[] };
  const statements = doc.Statement === undefined ? [] : ([] as Statement[]).concat(doc.Statement);
  const objects = `arn:aws:s3:::${bucket}/${prefix ? `${prefix}/` : ''}`;
  const findings: ExposureFinding[] = [];
  statements.forEach((s, index) => {
    if (s.Effect !== 'Allow' || !(isPublicPrincipal(s.Principal) || s.NotPrincipal !== undefined)) return;
    if (restricted(s.Condition)) return;
    const allowed = (action: string): boolean =>
      s.Action !== undefined
        ? list(s.Action).some((p) => globMatch(p.toLowerCase(), action.toLowerCase()))
        : s.NotAction !== undefined &&
          !list(s.NotAction).some((p) => globMatch(p.toLowerCase(), action.toLowerCase()));
    const resources = s.Resource === undefined ? null : list(s.Resource);
    const reads = OBJECT_READ.filter(allowed);
    const lists = LIST.filter(allowed);
    const onObjects = resources === null || resources.some((r) => globIntersectsPrefix(r, objects));
    const onBucket = resources === null || resources.some((r) => globMatch(r, `arn:aws:s3:::${bucket}`));
    const granted = [...(onObjects ? reads : []), ...(onBucket ? lists : [])];
    if (granted.length === 0) return;
    findings.push({
      source: `bucket policy statement ${s.Sid ? JSON.stringify(s.Sid) : `#${index + 1}`}`,
      grant: `${s.NotPrincipal !== undefined ? 'everyone but NotPrincipal' : '"*"'} ${granted.join(', ')} on ${resources?.join(', ') ?? `NotResource ${list(s.NotResource ?? []).join(', ')}`}`,
      effective: true,
    });
  });
  return findings;
}

function isPublicPrincipal(principal: unknown): boolean {
  if (principal === '*') return true;
  if (principal && typeof principal === 'object')
    return Object.values(principal as Record<string, unknown>).some((v) =>
      list(v as string | string[]).includes('*'),
    );
  return false;
}

/** Whether a condition block pins a restricting key to fixed values (not negated, not IfExists). */
function restricted(condition: Statement['Condition']): boolean {
  if (!condition) return false;
  return Object.entries(condition).some(([operator, keys]) => {
    if (/^(ForAnyValue:|ForAllValues:)?Not/i.test(operator) || /IfExists$/i.test(operator)) return false;
    if (/^Null$/i.test(operator)) return false;
    return Object.entries(keys).some(([key, value]) => {
      if (!RESTRICTING_KEYS.has(key.toLowerCase())) return false;
      const values = list(value as string | string[]).map(String);
      return values.length > 0 && values.every((v) => !v.includes('*') && v !== '0.0.0.0/0' && v !== '::/0');
    });
  });
}

function list(value: string | string[] | undefined): string[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

/** IAM's glob: `*` any run of characters, `?` one character. */
export function globMatch(pattern: string, text: string): boolean {
  const re = new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
    's',
  );
  return re.test(text);
}

/**
 * Whether an ARN pattern matches some key that starts with `prefix` (a key under the store): walk
 * the pattern over the prefix (`*` may consume any part of it); if any way through is left with
 * pattern to spare, some longer key matches.
 */
export function globIntersectsPrefix(pattern: string, prefix: string): boolean {
  let states = new Set([0]);
  const close = (set: Set<number>): Set<number> => {
    for (const i of [...set]) for (let j = i; pattern[j] === '*'; j++) set.add(j + 1);
    return set;
  };
  states = close(states);
  for (const ch of prefix) {
    const next = new Set<number>();
    for (const i of states) {
      const p = pattern[i];
      if (p === '*') next.add(i);
      else if (p === '?' || p === ch) next.add(i + 1);
    }
    states = close(next);
    if (states.size === 0) return false;
  }
  return [...states].some((i) => i < pattern.length);
}
