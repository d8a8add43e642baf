import { describe, expect, it } from 'vitest';
import { checkHiddenMember } from '../../../src/ebs/member-preflight.js';
import { CONFIG, HELLO } from '../../helpers/ebs-fakes.js';

describe('checkHiddenMember with recorded hello and replSetGetConfig documents', () => {
  it('accepts the hidden member with priority 0 and votes 0', () => {
    expect(checkHiddenMember(HELLO.hidden!, CONFIG)).toEqual({
      setName: 'rs0',
      host: '10.0.2.12:27017',
      memberHosts: [
        '10.0.1.10:27017',
        '10.0.2.11:27017',
        '10.0.2.12:27017',
        '10.0.2.13:27017',
        '10.0.2.14:27017',
        '10.0.2.15:27017',
      ],
    });
  });

  it.each([
    ['primary', 'EBS_MEMBER_IS_PRIMARY', 'primary'],
    ['visible-secondary', 'EBS_MEMBER_NOT_HIDDEN', 'hidden'],
    ['hidden-voting', 'EBS_MEMBER_NOT_HIDDEN', 'votes'],
    ['hidden-priority', 'EBS_MEMBER_NOT_HIDDEN', 'priority'],
    ['not-hidden-zero', 'EBS_MEMBER_NOT_HIDDEN', 'hidden'],
    ['standalone', 'EBS_MEMBER_IS_PRIMARY', 'primary'],
  ])('refuses the %s', (member, code, rule) => {
    expect(() => checkHiddenMember(HELLO[member]!, CONFIG)).toThrow(
      expect.objectContaining({ code, category: 'policy', subject: { rule } }),
    );
  });

  it('refuses a member missing from the configuration, and a non-member', () => {
    const stranger = { ...HELLO.hidden!, me: '10.9.9.9:27017' };
    expect(() => checkHiddenMember(stranger, CONFIG)).toThrow(
      expect.objectContaining({ subject: { rule: 'in-config' } }),
    );
    expect(() => checkHiddenMember({ isWritablePrimary: false, secondary: false }, CONFIG)).toThrow(
      expect.objectContaining({ code: 'EBS_NOT_REPLICA_MEMBER' }),
    );
  });

  it('reads BSON number wrappers (values are not promoted)', () => {
    const wrapped = {
      config: {
        members: (CONFIG.config as { members: Record<string, unknown>[] }).members.map((m) => ({
          ...m,
          priority: { valueOf: () => m.priority },
          votes: { valueOf: () => m.votes },
        })),
      },
    };
    expect(checkHiddenMember(HELLO.hidden!, wrapped).host).toBe('10.0.2.12:27017');
    expect(() => checkHiddenMember(HELLO['hidden-voting']!, wrapped)).toThrow(
      expect.objectContaining({ subject: { rule: 'votes' } }),
    );
  });
});
