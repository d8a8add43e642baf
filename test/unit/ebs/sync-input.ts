import type { EbsSyncPlanInput } from '../../../src/ebs/plan-ebs-sync.js';
import { HIDDEN_INSTANCE, STAGING_INSTANCE } from '../../helpers/ebs-fakes.js';

/** A known sync: the hidden member 10.0.2.12 of rs0, one earlier staging volume, three old snapshots. */
export function syncInput(overrides: Partial<EbsSyncPlanInput> = {}): EbsSyncPlanInput {
  return {
    connection: { region: 'eu-west-1' },
    runId: '20261202t0300z-abc123',
    secondary: { uri: 'mongodb://10.0.2.12:27017/' },
    credentials: { username: '/mongo/admin', password: '/mongo/admin/password' },
    member: {
      setName: 'rs0',
      host: '10.0.2.12:27017',
      memberHosts: ['10.0.1.10:27017', '10.0.2.11:27017', '10.0.2.12:27017'],
    },
    sourceVolume: {
      id: 'vol-0source000000001',
      state: 'in-use',
      availabilityZone: 'eu-west-1b',
      attachments: [{ instanceId: HIDDEN_INSTANCE.id, device: '/dev/sdf', state: 'attached' }],
      tags: {},
    },
    staging: STAGING_INSTANCE,
    stagingDevice: '/dev/sdg',
    previousVolumes: [
      {
        id: 'vol-0previous000001',
        state: 'in-use',
        availabilityZone: 'eu-west-1a',
        attachments: [{ instanceId: STAGING_INSTANCE.id, device: '/dev/sdf', state: 'attached' }],
        tags: { 'dbfork:role': 'staging-data', 'dbfork:staging-instance': STAGING_INSTANCE.id },
      },
    ],
    snapshots: [
      {
        id: 'snap-0old00000000001',
        volumeId: 'vol-0source000000001',
        state: 'completed',
        startedAt: '2026-11-28T03:00:00.000Z',
        tags: {},
      },
      {
        id: 'snap-0old00000000002',
        volumeId: 'vol-0source000000001',
        state: 'completed',
        startedAt: '2026-11-29T03:00:00.000Z',
        tags: {},
      },
      {
        id: 'snap-0old00000000003',
        volumeId: 'vol-0source000000001',
        state: 'completed',
        startedAt: '2026-11-30T03:00:00.000Z',
        tags: {},
      },
    ],
    keep: 3,
    anonymization: {
      rulesBase64: Buffer.from('rules: {}\n').toString('base64'),
      keyParameter: '/dbfork/anonymization-key',
      rulesDigest: 'sha256:0',
    },
    restore: { dataLink: '/var/lib/mongodb', dbPathOnVolume: '.', maintenancePort: 27117, service: 'mongod' },
    maxLockMs: 600_000,
    pollIntervalMs: 10,
    timeoutMs: 5_000,
    productionTag: 'environment=production',
    confirm: STAGING_INSTANCE.id,
    now: new Date('2026-12-02T03:00:00.000Z'),
    ...overrides,
  };
}
