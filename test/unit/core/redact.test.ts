import { describe, expect, it } from 'vitest';
import {
  redactUri,
  registerSecret,
  registerUriSecrets,
  scrub,
  stripUriCredentials,
} from '../../../src/core/redact.js';

describe('redaction', () => {
  it('masks the password of a connection string and keeps the user', () => {
    expect(redactUri('mongodb://app:hunter22@db1:27017,db2/prod?replicaSet=rs0')).toBe(
      'mongodb://app:***@db1:27017,db2/prod?replicaSet=rs0',
    );
    expect(redactUri('mongodb+srv://app:p%40ss@cluster0.example.net/')).toBe(
      'mongodb+srv://app:***@cluster0.example.net/',
    );
  });

  it('strips all user info for records', () => {
    expect(stripUriCredentials('mongodb://app:hunter22@db1:27017/prod')).toBe('mongodb://db1:27017/prod');
  });

  it('scrubs registered secrets anywhere in a text, raw and percent-encoded', () => {
    registerUriSecrets('mongodb://u:p%40ssw0rd!@h/');
    registerSecret('key-0123456789abcdef');
    const text = 'auth failed for p@ssw0rd! with key-0123456789abcdef and p%40ssw0rd!';
    expect(scrub(text)).toBe('auth failed for *** with *** and ***');
  });
});

describe('redactUri: secret connection options', () => {
  it('masks the values of options that carry a secret', () => {
    expect(redactUri('mongodb://h:1/?directConnection=true&tlsCertificateKeyFilePassword=s3cret&w=1')).toBe(
      'mongodb://h:1/?directConnection=true&tlsCertificateKeyFilePassword=***&w=1',
    );
    expect(redactUri('mongodb://h/?authMechanismProperties=AWS_SESSION_TOKEN:tok')).toBe(
      'mongodb://h/?authMechanismProperties=***',
    );
  });
});

describe('secret options in records and JSON', () => {
  it('stripUriCredentials masks secret options too (manifests and snapshot_metadata record it)', () => {
    expect(stripUriCredentials('mongodb://u:p@h:1/?tlsCertificateKeyFilePassword=s3cret&w=1')).toBe(
      'mongodb://h:1/?tlsCertificateKeyFilePassword=***&w=1',
    );
  });

  it('a masked option inside JSON text stops at the closing quote', () => {
    expect(redactUri('{"uri":"mongodb://h/?sslPEMKeyPassword=abc","db":"x"}')).toBe(
      '{"uri":"mongodb://h/?sslPEMKeyPassword=***","db":"x"}',
    );
  });
});
