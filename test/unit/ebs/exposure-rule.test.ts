import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { planEbsSync } from '../../../src/ebs/plan-ebs-sync.js';
import { executePlan } from '../../../src/plan/execute-plan.js';
import { OperationRegistry } from '../../../src/plan/operation-registry.js';
import { ebsOperations } from '../../../src/pipeline/operations/ebs-operations.js';
import { memoryEc2, memorySsm, recordingMember, recordingWatchdog } from '../../helpers/ebs-fakes.js';
import { REPO_ROOT } from '../../helpers/servers.js';
import { syncInput } from './sync-input.js';

function run(failPhase?: string) {
  const log: string[] = [];
  const ec2 = memoryEc2(log);
  const previous = ec2.volumes.length;
  ec2.volumes.push({ ...syncInput().previousVolumes[0]! });
  const ssm = memorySsm(log, failPhase ? { failPhase } : {});
  const registry = new OperationRegistry();
  for (const kind of ebsOperations({
    apis: () => ({ ec2: ec2.api, ssm: ssm.api }),
    admin: recordingMember(log).admin,
    watchdog: recordingWatchdog(log),
    sleep: async () => undefined,
  }))
    registry.register(kind);
  const plan = planEbsSync(syncInput({ snapshots: [] }));
  return { log, ssm, ec2, previous, result: executePlan(plan, { registry, confirm: () => true }) };
}

/** The shell script of one phase of mongo-restore.yaml. */
function phaseScript(phase: string): string {
  const doc = parse(readFileSync(join(REPO_ROOT, 'deploy', 'aws', 'ssm', 'mongo-restore.yaml'), 'utf8')) as {
    mainSteps: { inputs: { runCommand: string[] } }[];
  };
  const script = doc.mainSteps[0]!.inputs.runCommand.join('\n');
  const start = script.indexOf(`\n${phase})`);
  expect(start).toBeGreaterThan(0);
  return script.slice(start, script.indexOf(';;', start));
}

describe('the exposure rule at a seam (the recorded SSM command sequence)', () => {
  it('restores on an unreachable mongod with local dropped, anonymizes, and only then opens it', async () => {
    const { log, ssm, result } = run();
    expect((await result).ok).toBe(true);
    expect(log.filter((l) => l.startsWith('SendCommand'))).toEqual([
      'SendCommand mongo-restore restore',
      'SendCommand mongo-restore anonymize',
      'SendCommand mongo-restore open',
    ]);
    const [restore, anonymize, open] = ssm.sent;
    expect(restore!.parameters).toMatchObject({
      MaintenancePort: '27117',
      Device: '/dev/sdg',
      VolumeId: expect.stringMatching(/^vol-/),
    });
    expect(anonymize!.parameters).toMatchObject({
      KeyParameter: '/dbfork/anonymization-key',
      RulesBase64: expect.any(String),
    });
    expect(open!.parameters.RequireAnonymized).toBe('true');
    expect(log.at(-1)).toBe('DetachVolume vol-0previous000001'.replace('Detach', 'Delete'));
  });

  it('a failed anonymization never reaches the restart, and the previous volume is kept', async () => {
    const { log, result, ec2 } = run('anonymize');
    const done = await result;
    expect(done.ok).toBe(false);
    expect(done.error?.code).toBe('EBS_COMMAND_FAILED');
    expect(log.filter((l) => l.startsWith('SendCommand'))).toEqual([
      'SendCommand mongo-restore restore',
      'SendCommand mongo-restore anonymize',
    ]);
    expect(log.some((l) => l.startsWith('DetachVolume') || l.startsWith('DeleteVolume'))).toBe(false);
    expect(ec2.volumes.map((v) => v.id)).toContain('vol-0previous000001');
    expect(done.operations.find((o) => o.id === 'open')?.status).toBe('skipped');
  });

  it('mongo-restore: the restore phase starts a standalone on 127.0.0.1 and drops local; only open starts the service, and only when anonymized', () => {
    const restore = phaseScript('restore');
    expect(restore).toMatch(/mongod --dbpath "\$LINK" --bind_ip 127\.0\.0\.1 --port "\$PORT"/);
    expect(restore).not.toMatch(/--replSet|systemctl start/);
    expect(restore.indexOf('getSiblingDB("local").dropDatabase()')).toBeGreaterThan(
      restore.indexOf('--bind_ip'),
    );
    expect(phaseScript('anonymize')).not.toMatch(/systemctl start/);
    expect(phaseScript('anonymize')).toMatch(/ebs anonymize-local[^\n]*127\.0\.0\.1/);
    const open = phaseScript('open');
    expect(open).toMatch(/systemctl start/);
    expect(open.indexOf('.dbfork-anonymized') < open.indexOf('systemctl start')).toBe(true);
    expect(open).toMatch(/refusing to open/);
  });
});
