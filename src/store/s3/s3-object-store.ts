import { Readable } from 'node:stream';
import {
  AbortMultipartUploadCommand,
  DeleteObjectCommand,
  GetBucketVersioningCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
  type ServerSideEncryption,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { assertKeyPrefix, assertObjectKey } from '../object-key.js';
import type { ListOptions, ObjectBody, ObjectInfo } from '../object-store.js';
import type { ObjectListing, ObjectStore, PutOptions } from '../object-store.js';
import { assertDeletablePrefix, collectListing, objectNotFound, putRemote } from '../remote-objects.js';
import { deleteKeys, listVersions } from './s3-delete-keys.js';
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
  #versioning: Promise<boolean> | undefined;

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
    return putRemote(this, key, body, {
      send: async (bytes) => {
        if (bytes instanceof Uint8Array) {
          await this.#o.client.send(new PutObjectCommand({ ...params, Body: bytes }));
          return;
        }
        const upload = new Upload({
          client: this.#o.client,
          params: { ...params, Body: Readable.from(bytes) },
          partSize: this.#o.partSize ?? 6 * MiB,
          queueSize: this.#o.queueSize ?? 2,
          leavePartsOnError: false,
        });
        await upload.done();
      },
      isPreconditionFailure: (error) => statusOf(error) === 412 || nameOf(error) === 'PreconditionFailed',
      failure: (error) => s3Failure('STORE_WRITE_FAILED', `cannot write ${key} in ${this.url}`, key, error),
    });
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
        throw objectNotFound(key, this.url, error);
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
    const base = this.#full('');
    return collectListing(
      base,
      async (token) => {
        const page = await this.#o.client.send(
          new ListObjectsV2Command({
            Bucket: this.#o.bucket,
            Prefix: base + prefix,
            ...(options.delimiter ? { Delimiter: '/' } : {}),
            ...(token ? { ContinuationToken: token } : {}),
          }),
        );
        return {
          objects: (page.Contents ?? []).flatMap((o) =>
            o.Key ? [{ key: o.Key, size: o.Size ?? 0, modifiedAt: o.LastModified ?? new Date(0) }] : [],
          ),
          prefixes: (page.CommonPrefixes ?? []).flatMap((p) => (p.Prefix ? [p.Prefix] : [])),
          next: page.IsTruncated ? page.NextContinuationToken : undefined,
        };
      },
      (error) => s3Failure('STORE_READ_FAILED', `cannot list ${prefix || '/'} in ${this.url}`, prefix, error),
    );
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

  /** A presigned GET URL of one object (SigV4, query-string auth), valid for `expiresInSeconds`. */
  async signedGetUrl(key: string, expiresInSeconds: number): Promise<string> {
    assertObjectKey(key);
    try {
      return await getSignedUrl(
        this.#o.client,
        new GetObjectCommand({ Bucket: this.#o.bucket, Key: this.#full(key) }),
        { expiresIn: expiresInSeconds },
      );
    } catch (error) {
      throw s3Failure('STORE_READ_FAILED', `cannot sign a URL for ${key} in ${this.url}`, key, error);
    }
  }

  /**
   * Remove every object under `prefix` and abort the multipart uploads left there. On a bucket whose
   * versioning is (or was) enabled, every version and delete marker under the prefix is deleted by
   * its version id, data versions before delete markers, so no earlier version can reappear and
   * nothing stays behind as a noncurrent version.
   */
  async deletePrefix(prefix: string): Promise<void> {
    assertKeyPrefix(prefix);
    assertDeletablePrefix(prefix);
    const bucket = this.#o.bucket;
    const full = this.#full(prefix);
    try {
      if (await this.#versioned()) {
        const { versions, markers } = await listVersions(this.#o.client, bucket, full);
        await deleteKeys(this.#o.client, bucket, versions);
        await deleteKeys(this.#o.client, bucket, markers);
      } else {
        const { objects } = await this.list(prefix);
        await deleteKeys(
          this.#o.client,
          bucket,
          objects.map((o) => ({ Key: this.#full(o.key) })),
        );
      }
      const uploads = await this.#o.client.send(
        new ListMultipartUploadsCommand({ Bucket: bucket, Prefix: full }),
      );
      for (const u of uploads.Uploads ?? [])
        if (u.Key && u.UploadId)
          await this.#o.client.send(
            new AbortMultipartUploadCommand({ Bucket: bucket, Key: u.Key, UploadId: u.UploadId }),
          );
    } catch (error) {
      throw s3Failure('STORE_WRITE_FAILED', `cannot delete ${prefix} in ${this.url}`, prefix, error);
    }
  }

  /** Whether the bucket's versioning is enabled or suspended (read once; `s3:GetBucketVersioning`). */
  #versioned(): Promise<boolean> {
    this.#versioning ??= this.#o.client
      .send(new GetBucketVersioningCommand({ Bucket: this.#o.bucket }))
      .then((out) => out.Status === 'Enabled' || out.Status === 'Suspended');
    this.#versioning.catch(() => (this.#versioning = undefined));
    return this.#versioning;
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
