import { describe, expect, it } from 'vitest';
import { decodeProfile, EMPTY_PROFILE, encodeProfile, profileKey, withDisplayName } from '../../shared/domain/profile';
import { at } from '../support/memory-deps';

describe('profile', () => {
  it('changes the name (a new object) or, unchanged, returns the same profile: nothing to write', () => {
    const named = withDisplayName(EMPTY_PROFILE, '小明', at(0));
    expect(named).toEqual({ displayName: '小明', updatedAt: at(0) });
    expect(withDisplayName(named, '小明', at(5))).toBe(named);
    expect(withDisplayName(named, '明明', at(5))).toEqual({ displayName: '明明', updatedAt: at(5) });
  });

  it('round-trips through its stored text, and reads anything unreadable as no profile', () => {
    const named = withDisplayName(EMPTY_PROFILE, '小明 🎁', at(0));
    expect(decodeProfile(encodeProfile(named))).toEqual(named);
    for (const bad of [null, undefined, '', '{', '42', 'null', '{"displayName":7}']) expect(decodeProfile(bad)).toEqual(EMPTY_PROFILE);
  });

  it('keys a profile by its user', () => {
    expect(profileKey('o_abc')).toBe('profile#o_abc');
  });
});
