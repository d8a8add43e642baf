import { describe, expect, it } from 'vitest';
import { globIntersectsPrefix, publicPolicyGrants } from '../../../src/store/s3/s3-policy-exposure.js';

const policy = (...statements: object[]): string =>
  JSON.stringify({ Version: '2012-10-17', Statement: statements });
const read = (extra: object = {}): object => ({
  Effect: 'Allow',
  Principal: '*',
  Action: 's3:GetObject',
  Resource: 'arn:aws:s3:::snaps/*',
  ...extra,
});

describe('S3 bucket policy analysis: public read over the store prefix', () => {
  it('flags anonymous GetObject over the bucket, by "*", {"AWS": "*"} and wildcard actions', () => {
    expect(publicPolicyGrants(policy(read()), 'snaps', 'prod')).toHaveLength(1);
    expect(publicPolicyGrants(policy(read({ Principal: { AWS: ['*'] } })), 'snaps', 'prod')).toHaveLength(1);
    expect(publicPolicyGrants(policy(read({ Action: 's3:Get*' })), 'snaps', 'prod')).toHaveLength(1);
    expect(publicPolicyGrants(policy(read({ Action: ['s3:*'] })), 'snaps', 'prod')).toHaveLength(1);
    expect(
      publicPolicyGrants(policy(read({ Action: '*', Resource: 'arn:aws:s3:::snaps/pr*' })), 'snaps', 'prod'),
    ).toHaveLength(1);
  });

  it('flags a public ListBucket on the bucket ARN and NotPrincipal / NotAction allows', () => {
    const list = read({ Action: 's3:ListBucket', Resource: 'arn:aws:s3:::snaps' });
    expect(publicPolicyGrants(policy(list), 'snaps', 'prod')[0]?.grant).toContain('s3:ListBucket');
    const notPrincipal = read({ Principal: undefined, NotPrincipal: { AWS: 'arn:aws:iam::1:root' } });
    expect(publicPolicyGrants(policy(notPrincipal), 'snaps', 'prod')).toHaveLength(1);
    const notAction = read({ Action: undefined, NotAction: 's3:PutObject' });
    expect(publicPolicyGrants(policy(notAction), 'snaps', 'prod')).toHaveLength(1);
  });

  it('passes other prefixes, other buckets, named principals, Deny and write-only statements', () => {
    const none = [
      read({ Resource: 'arn:aws:s3:::snaps/public/*' }),
      read({ Resource: 'arn:aws:s3:::other/*' }),
      read({ Principal: { AWS: 'arn:aws:iam::123456789012:role/dbfork' } }),
      read({ Effect: 'Deny' }),
      read({ Action: 's3:PutObject' }),
    ];
    for (const s of none)
      expect(publicPolicyGrants(policy(s), 'snaps', 'prod'), JSON.stringify(s)).toEqual([]);
  });

  it('a fixed network or organisation condition restricts; a negated, IfExists or catch-all one does not', () => {
    const restricted = [
      { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } },
      { StringEquals: { 'aws:SourceVpce': 'vpce-1a2b3c' } },
      { StringEquals: { 'aws:PrincipalOrgID': ['o-abc123'] } },
    ];
    for (const Condition of restricted)
      expect(publicPolicyGrants(policy(read({ Condition })), 'snaps', 'prod')).toEqual([]);
    const open = [
      { Bool: { 'aws:SecureTransport': 'true' } },
      { NotIpAddress: { 'aws:SourceIp': '10.0.0.0/8' } },
      { StringEqualsIfExists: { 'aws:SourceVpce': 'vpce-1a2b3c' } },
      { IpAddress: { 'aws:SourceIp': '0.0.0.0/0' } },
      { StringLike: { 'aws:PrincipalOrgID': 'o-*' } },
    ];
    for (const Condition of open)
      expect(
        publicPolicyGrants(policy(read({ Condition })), 'snaps', 'prod'),
        JSON.stringify(Condition),
      ).toHaveLength(1);
  });

  it('decides whether an ARN pattern covers some key under a prefix', () => {
    const under = 'arn:aws:s3:::snaps/prod/';
    expect(globIntersectsPrefix('arn:aws:s3:::snaps/*', under)).toBe(true);
    expect(globIntersectsPrefix('arn:aws:s3:::snaps/prod/shop/*', under)).toBe(true);
    expect(globIntersectsPrefix('arn:aws:s3:::snaps/pr?d/*', under)).toBe(true);
    expect(globIntersectsPrefix('arn:aws:s3:::snaps/prod/', under)).toBe(false);
    expect(globIntersectsPrefix('arn:aws:s3:::snaps/production/*', under)).toBe(false);
    expect(globIntersectsPrefix('arn:aws:s3:::snaps/p*x', under)).toBe(true);
  });
});
