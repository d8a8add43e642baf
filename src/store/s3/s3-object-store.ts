import { Readable } from 'node:stream';
import {
  AbortMultipartUploadCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
  type ServerSideEncryption,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { StoreError } from '../../errors/index.js';
import { assertKeyPrefix, assertObjectKey, compareKeys } from '../object-key.js';
import type {
  ListOptions,
  ObjectBody,
  ObjectInfo,
  ObjectListing,
  ObjectStore,
  PutOptions,
} from '../object-store.js';
import { nameOf, s3Failure, statusOf } from './s3-failure.js';

/** Server-side encryption of every object written: SSE-S3 (`AES256`) or SSE-KMS (`aws:kms`, optional key). */
export type S3Encryption =
  { readonly mode: 'AES256' } | { readonly mode: 'aws:kms'; readonly kmsKeyId?: string };

export interface S3ObjectStoreOptions {
  /** The client (its credentials, region and endpoint are the SDK's standard chain). */
  readonly client: S3Client;
  readonly bucket: string;
  /** Key prefix inside the bucket, without leading or trailing `/` (`""` for the whole bucket). */
  readonly prefix: string;
  readonly encryption?: S3Encryption;
  /**
   * Multipart part size in bytes (default 6 MiB; S3's minimum is 5 MiB). S3 allows 10,000 parts, so
   * this bounds one object's size (6 MiB → 58.6 GiB); memory holds about three parts.
   */
  readonly partSize?: number;
  /** Parts uploaded at once (default 2): memory holds about `partSize × (queueSize + 1)` bytes. */
  readonly queueSize?: number;
}

const MiB = 1024 * 1024;

/**
 * An {@link ObjectStore} in an S3 bucket under a prefix (`s3://bucket/prefix`), through the AWS SDK v3.
 * Streamed bodies upload by multipart (`@aws-sdk/lib-storage`) with bounded memory; an object becomes
 * visible only when its upload completes (S3's own atomicity), and a failed body aborts its multipart
 * upload. `ifAbsent` uses S3's conditional write (`If-None-Match: *`). Nothing is made public: objects
 * carry no ACL and inherit the bucket's private default.
 */
export class S3ObjectStore implements ObjectStore {
  readonly url: string;
  readonly conditionalPut = true;
  readonly #o: S3ObjectStoreOptions;

  constructor(options: S3ObjectStoreOptions) {
    this.#o = Object.freeze({ ...options });
    this.url = `s3://${options.bucket}${options.prefix ? `/${options.prefix}` : ''}`;
  }

  locate(key: string): string {
    return `${this.url}/${key}`;
  }

  async put(key: string, body: ObjectBody, options: PutOptions = {}): Promise<ObjectInfo> {
    assertObjectKey(key);
    const params = {
      Bucket: this.#o.bucket,
      Key: this.#full(key),
      ...this.#encryption(),
      ...(options.ifAbsent ? { IfNoneMatch: '*' } : {}),
    };
    let bodyError: { error: unknown } | undefined;
    try {
      if (typeof body === 'string' || body instanceof Uint8Array) {
        const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
        await this.#o.client.send(new PutObjectCommand({ ...params, Body: bytes }));
      } else {
        const upload = new Upload({
          client: this.#o.client,
          params: { ...params, Body: Readable.from(watch(body, (error) => (bodyError = { error }))) },
          partSize: this.#o.partSize ?? 6 * MiB,
          queueSize: this.#o.queueSize ?? 2,
          leavePartsOnError: false,
        });
        await upload.done();
      }
    } catch (error) {
      if (statusOf(error) === 412 || nameOf(error) === 'PreconditionFailed')
        throw new StoreError('STORE_PRECONDITION_FAILED', `${key} already exists in ${this.url}`, {
          subject: { key },
          cause: error,
        });
      if (bodyError) throw bodyError.error; // the body's own error, as it was
      throw s3Failure('STORE_WRITE_FAILED', `cannot write ${key} in ${this.url}`, key, error);
    }
    const info = await this.head(key);
    if (!info)
      throw new StoreError(
        'STORE_WRITE_FAILED',
        `${key} is missing from ${this.url} right after its upload`,
        { subject: { key } },
      );
    return info;
  }

  async get(key: string): Promise<Readable> {
    assertObjectKey(key);
    try {
      const out = await this.#o.client.send(
        new GetObjectCommand({ Bucket: this.#o.bucket, Key: this.#full(key) }),
      );
      if (!(out.Body instanceof Readable))
        throw new Error('the SDK returned a body that is not a Node stream');
      return out.Body;
    } catch (error) {
      if (nameOf(error) === 'NoSuchKey' || statusOf(error) === 404)
        throw new StoreError('STORE_OBJECT_NOT_FOUND', `${key} does not exist in ${this.url}`, {
          subject: { key },
        });
      throw s3Failure('STORE_READ_FAILED', `cannot read ${key} in ${this.url}`, key, error);
    }
  }

  async head(key: string): Promise<ObjectInfo | null> {
    assertObjectKey(key);
    try {
      const out = await this.#o.client.send(
        new HeadObjectCommand({ Bucket: this.#o.bucket, Key: this.#full(key) }),
      );
      return { key, size: out.ContentLength ?? 0, modifiedAt: out.LastModified ?? new Date(0) };
    } catch (error) {
      if (statusOf(error) === 404 || nameOf(error) === 'NotFound') return null;
      throw s3Failure('STORE_READ_FAILED', `cannot look up ${key} in ${this.url}`, key, error);
    }
  }

  async list(prefix: string, options: ListOptions = {}): Promise<ObjectListing> {
    assertKeyPrefix(prefix);
    const objects: ObjectInfo[] = [];
    const prefixes: string[] = [];
    const base = this.#full('');
    let token: string | undefined;
    try {
      do {
        const page = await this.#o.client.send(
          new ListObjectsV2Command({
            Bucket: this.#o.bucket,
            Prefix: base + prefix,
            ...(options.delimiter ? { Delimiter: '/' } : {}),
            ...(token ? { ContinuationToken: token } : {}),
          }),
        );
        for (const o of page.Contents ?? [])
          if (o.Key)
            objects.push({
              key: o.Key.slice(base.length),
              size: o.Size ?? 0,
              modifiedAt: o.LastModified ?? new Date(0),
            });
        for (const p of page.CommonPrefixes ?? []) if (p.Prefix) prefixes.push(p.Prefix.slice(base.length));
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
    } catch (error) {
      throw s3Failure('STORE_READ_FAILED', `cannot list ${prefix || '/'} in ${this.url}`, prefix, error);
    }
    return {
      objects: objects.sort((a, b) => compareKeys(a.key, b.key)),
      prefixes: prefixes.sort(compareKeys),
    };
  }

  async delete(key: string): Promise<void> {
    assertObjectKey(key);
    try {
      await this.#o.client.send(new DeleteObjectCommand({ Bucket: this.#o.bucket, Key: this.#full(key) }));
    } catch (error) {
      if (statusOf(error) === 404) return;
      throw s3Failure('STORE_WRITE_FAILED', `cannot delete ${key} in ${this.url}`, key, error);
    }
  }

  async deletePrefix(prefix: string): Promise<void> {
    assertKeyPrefix(prefix);
    if (!prefix.endsWith('/'))
      throw new StoreError('STORE_BAD_KEY', `a prefix to delete ends in /: ${prefix}`, {
        subject: { key: prefix },
      });
    const { objects } = await this.list(prefix);
    try {
      for (let at = 0; at < objects.length; at += 1000) {
        const batch = objects.slice(at, at + 1000).map((o) => ({ Key: this.#full(o.key) }));
        await this.#o.client.send(
          new DeleteObjectsCommand({ Bucket: this.#o.bucket, Delete: { Objects: batch, Quiet: true } }),
        );
      }
      const uploads = await this.#o.client.send(
        new ListMultipartUploadsCommand({ Bucket: this.#o.bucket, Prefix: this.#full(prefix) }),
      );
      for (const u of uploads.Uploads ?? [])
        if (u.Key && u.UploadId)
          await this.#o.client.send(
            new AbortMultipartUploadCommand({ Bucket: this.#o.bucket, Key: u.Key, UploadId: u.UploadId }),
          );
    } catch (error) {
      throw s3Failure('STORE_WRITE_FAILED', `cannot delete ${prefix} in ${this.url}`, prefix, error);
    }
  }

  #full(key: string): string {
    return this.#o.prefix ? `${this.#o.prefix}/${key}` : key;
  }

  #encryption(): { ServerSideEncryption?: ServerSideEncryption; SSEKMSKeyId?: string } {
    const e = this.#o.encryption;
    if (!e) return {};
    if (e.mode === 'AES256') return { ServerSideEncryption: 'AES256' };
    return { ServerSideEncryption: 'aws:kms', ...(e.kmsKeyId ? { SSEKMSKeyId: e.kmsKeyId } : {}) };
  }
}

/** Pass a body through, telling `onError` what its iteration threw (then rethrowing it). */
async function* watch(
  body: AsyncIterable<Uint8Array>,
  onError: (error: unknown) => void,
): AsyncGenerator<Uint8Array> {
  try {
    for await (const chunk of body) yield chunk;
  } catch (error) {
    onError(error);
    throw error;
  }
}
