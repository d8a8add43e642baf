import { createHash, createHmac, createVerify, type KeyObject } from 'node:crypto';

/**
 * Independent checks of signed URLs, for servers that do not check them (moto and fake-gcs-server
 * accept any signature): recompute the canonical request of a GET with only the `host` header signed
 * and an unsigned payload, as both schemes define it.
 */
function canonical(
  url: URL,
  signatureParam: string,
  host: string,
): { request: string; params: Map<string, string> } {
  const raw = url.search.slice(1).split('&');
  const kept = raw.filter((p) => !p.startsWith(`${signatureParam}=`)).sort();
  const params = new Map([...url.searchParams]);
  const request = ['GET', url.pathname, kept.join('&'), `host:${host}`, '', 'host', 'UNSIGNED-PAYLOAD'].join(
    '\n',
  );
  return { request, params };
}

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/**
 * Whether an S3 presigned URL carries a valid SigV4 signature for `secretAccessKey`.
 * Source: https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html
 */
export function s3SignatureValid(text: string, secretAccessKey: string): boolean {
  const url = new URL(text);
  const { request, params } = canonical(url, 'X-Amz-Signature', url.host);
  const date = params.get('X-Amz-Date') ?? '';
  const scope = (params.get('X-Amz-Credential') ?? '').split('/').slice(1).join('/');
  const [day = '', region = '', service = ''] = scope.split('/');
  const toSign = ['AWS4-HMAC-SHA256', date, scope, sha256(request)].join('\n');
  let key: Buffer = Buffer.from(`AWS4${secretAccessKey}`);
  for (const part of [day, region, service, 'aws4_request'])
    key = createHmac('sha256', key).update(part).digest();
  return createHmac('sha256', key).update(toSign).digest('hex') === params.get('X-Amz-Signature');
}

/**
 * Whether a GCS V4 signed URL carries a valid GOOG4-RSA-SHA256 signature by `publicKey`.
 * Source: https://cloud.google.com/storage/docs/authentication/signatures
 */
export function gcsSignatureValid(text: string, publicKey: KeyObject): boolean {
  const url = new URL(text);
  // @google-cloud/storage signs the host name without its port (the same for storage.googleapis.com)
  const { request, params } = canonical(url, 'X-Goog-Signature', url.hostname);
  const scope = (params.get('X-Goog-Credential') ?? '').split('/').slice(1).join('/');
  const toSign = ['GOOG4-RSA-SHA256', params.get('X-Goog-Date') ?? '', scope, sha256(request)].join('\n');
  return createVerify('RSA-SHA256')
    .update(toSign)
    .verify(publicKey, Buffer.from(params.get('X-Goog-Signature') ?? '', 'hex'));
}
