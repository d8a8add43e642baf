import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ebsFailure } from '../../src/aws/ebs-failure.js';
import type { EbsSnapshot, EbsVolume, Ec2Api, Ec2Instance, SsmApi } from '../../src/ebs/ebs-port.js';
import type { EbsDeps } from '../../src/pipeline/operations/ebs-deps.js';
import { REPO_ROOT } from './servers.js';

const FIXTURES = join(REPO_ROOT, 'test', 'fixtures', 'ebs');

/** Recorded `hello` replies by member, and the replica set's `replSetGetConfig` reply. */
export const HELLO = JSON.parse(readFileSync(join(FIXTURES, 'hello-replies.json'), 'utf8')) as Record<
  string,
  Record<string, unknown>
>;
export const CONFIG = JSON.parse(readFileSync(join(FIXTURES, 'replset-config.json'), 'utf8')) as Record<
  string,
  unknown
>;

/**
 * A recording command runner standing in for a MongoDB member (FerretDB has no fsyncLock and no replica
 * set): answers `hello` and `replSetGetConfig` with recorded documents, counts locks like mongod.
 */
export function recordingMember(log: string[], hello: Record<string, unknown> = HELLO.hidden!) {
  let lockCount = 0;
  const uris: string[] = [];
  const run = async (command: Readonly<Record<string, unknown>>) => {
    const name = Object.keys(command)[0] ?? '';
    if (name === 'hello') return hello;
    if (name === 'replSetGetConfig') return CONFIG;
    if (name === 'fsync' && command.lock === true) {
      log.push('fsyncLock');
      return { lockCount: ++lockCount, ok: 1 };
    }
    if (name === 'fsyncUnlock') {
      if (lockCount === 0) throw new Error('fsyncUnlock called when not locked');
      log.push('fsyncUnlock');
      return { lockCount: --lockCount, ok: 1 };
    }
    throw new Error(`unexpected command ${name}`);
  };
  return {
    run,
    uris,
    get lockCount() {
      return lockCount;
    },
    admin: async (uri: string) => {
      uris.push(uri);
      return { run, close: async () => undefined };
    },
  };
}

export const HIDDEN_INSTANCE: Ec2Instance = {
  id: 'i-0hidden0000000001',
  availabilityZone: 'eu-west-1b',
  ownerId: '123456789012',
  privateIps: ['10.0.2.12'],
  privateDnsNames: ['ip-10-0-2-12.eu-west-1.compute.internal'],
  volumes: [{ device: '/dev/sdf', volumeId: 'vol-0source000000001' }],
  tags: { environment: 'production' },
};

export const STAGING_INSTANCE: Ec2Instance = {
  id: 'i-0staging000000001',
  availabilityZone: 'eu-west-1a',
  ownerId: '123456789012',
  privateIps: ['10.0.9.20'],
  privateDnsNames: ['ip-10-0-9-20.eu-west-1.compute.internal'],
  volumes: [{ device: '/dev/sda1', volumeId: 'vol-0root0000000001' }],
  tags: { environment: 'staging' },
};

/** An in-memory EC2 that records the mutating calls; `failCreateSnapshot` makes CreateSnapshot fail. */
export function memoryEc2(
  log: string[],
  options: { failCreateSnapshot?: boolean; hangCreateSnapshot?: Promise<void> } = {},
) {
  const snapshots: EbsSnapshot[] = [];
  const volumes: EbsVolume[] = [
    {
      id: 'vol-0source000000001',
      state: 'in-use',
      availabilityZone: 'eu-west-1b',
      attachments: [{ instanceId: HIDDEN_INSTANCE.id, device: '/dev/sdf', state: 'attached' }],
      tags: {},
    },
  ];
  const instances = [HIDDEN_INSTANCE, STAGING_INSTANCE];
  let n = 0;
  const has = (tags: Readonly<Record<string, string>>, want: Readonly<Record<string, string>>) =>
    Object.entries(want).every(([k, v]) => tags[k] === v);
  const api: Ec2Api = {
    instance: async (id) => instances.find((i) => i.id === id),
    volume: async (id) => volumes.find((v) => v.id === id),
    snapshotsTagged: async (tags) => snapshots.filter((s) => has(s.tags, tags)),
    volumesTagged: async (tags) => volumes.filter((v) => has(v.tags, tags)),
    async createSnapshot(volumeId, _description, tags) {
      log.push('CreateSnapshot');
      if (options.hangCreateSnapshot) await options.hangCreateSnapshot;
      if (options.failCreateSnapshot)
        throw ebsFailure(
          'CreateSnapshot',
          Object.assign(new Error('the volume is busy'), { name: 'IncorrectState' }),
        );
      const id = `snap-${String(++n).padStart(17, '0')}`;
      snapshots.push({ id, volumeId, state: 'completed', startedAt: new Date().toISOString(), tags });
      return id;
    },
    async createVolume(request) {
      log.push('CreateVolume');
      const id = `vol-${String(++n).padStart(17, '0')}`;
      volumes.push({
        id,
        state: 'available',
        availabilityZone: request.availabilityZone,
        snapshotId: request.snapshotId,
        attachments: [],
        tags: request.tags,
      });
      return id;
    },
    async attachVolume(volumeId, instanceId, device) {
      log.push('AttachVolume');
      const i = volumes.findIndex((v) => v.id === volumeId);
      volumes[i] = {
        ...volumes[i]!,
        state: 'in-use',
        attachments: [{ instanceId, device, state: 'attached' }],
      };
    },
    async detachVolume(volumeId) {
      log.push(`DetachVolume ${volumeId}`);
      const i = volumes.findIndex((v) => v.id === volumeId);
      volumes[i] = { ...volumes[i]!, state: 'available', attachments: [] };
    },
    async deleteVolume(volumeId) {
      log.push(`DeleteVolume ${volumeId}`);
      volumes.splice(
        volumes.findIndex((v) => v.id === volumeId),
        1,
      );
    },
    async deleteSnapshot(snapshotId) {
      log.push(`DeleteSnapshot ${snapshotId}`);
      snapshots.splice(
        snapshots.findIndex((s) => s.id === snapshotId),
        1,
      );
    },
  };
  return { api, snapshots, volumes };
}

/** An in-memory SSM recording the commands sent; the phase in `failPhase` ends `Failed`. */
export function memorySsm(log: string[], options: { failPhase?: string } = {}) {
  const sent: { document: string; instanceId: string; parameters: Record<string, string> }[] = [];
  const parameters: Record<string, string> = {
    '/mongo/admin': 'backup-user',
    '/mongo/admin/password': 's3cr3t-pw',
  };
  const api: SsmApi = {
    async secureParameter(name) {
      const value = parameters[name];
      if (value === undefined) throw new Error(`no parameter ${name}`);
      return value;
    },
    async sendCommand(document, instanceId, params) {
      log.push(`SendCommand ${document} ${params.Phase ?? ''}`.trim());
      sent.push({ document, instanceId, parameters: { ...params } });
      return `cmd-${sent.length}`;
    },
    async invocation(commandId) {
      const phase = sent[Number(commandId.slice(4)) - 1]?.parameters.Phase;
      return phase === options.failPhase
        ? { status: 'Failed', stdout: '', stderr: 'RULES_UNCLASSIFIED: orders is not classified' }
        : { status: 'Success', stdout: '', stderr: '' };
    },
    document: async () => undefined,
    createDocument: async () => undefined,
    updateDocument: async () => undefined,
  };
  return { api, sent };
}

/** A watchdog that records its start and release (the real one is a process: see the SIGTERM test). */
export function recordingWatchdog(log: string[]): EbsDeps['watchdog'] {
  return async () => {
    log.push('watchdog-start');
    return { pid: 0, release: () => log.push('watchdog-release') };
  };
}
