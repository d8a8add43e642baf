import { Storage } from '@google-cloud/storage';
import { bucketOf } from '../bucket-url.js';
import { GcsObjectStore } from './gcs-object-store.js';

/**
 * The GCS store of a `gs://bucket/prefix` URL. Credentials come from Application Default Credentials
 * (`GOOGLE_APPLICATION_CREDENTIALS`, workload identity, the metadata server), never from the URL;
 * `STORAGE_EMULATOR_HOST` points the client at an emulator.
 *
 * @throws UsageError `STORE_BAD_URL` for a URL without a bucket
 */
export function openGcsStore(url: URL, env: NodeJS.ProcessEnv = process.env): GcsObjectStore {
  const { bucket, prefix } = bucketOf(url);
  return new GcsObjectStore({ bucket: gcsClient(env).bucket(bucket), prefix });
}

/**
 * The client. With `STORAGE_EMULATOR_HOST`, the emulator's host becomes the client's `apiEndpoint`:
 * the library's own reading of the variable takes it as the JSON API base as it is (without
 * `/storage/v1`) while uploads go to `<host>/upload/storage/v1`, so no one form of the variable
 * serves both; as an endpoint, both paths are derived from it.
 */
export function gcsClient(env: NodeJS.ProcessEnv = process.env): Storage {
  const emulator = env.STORAGE_EMULATOR_HOST;
  if (!emulator) return new Storage();
  const saved = process.env.STORAGE_EMULATOR_HOST;
  delete process.env.STORAGE_EMULATOR_HOST;
  try {
    return new Storage({ apiEndpoint: emulator.replace(/\/storage\/v1\/?$/, '') });
  } finally {
    if (saved !== undefined) process.env.STORAGE_EMULATOR_HOST = saved;
  }
}
