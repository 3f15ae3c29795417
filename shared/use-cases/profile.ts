import { AppError } from '../domain/errors';
import { decodeProfile, encodeProfile, type Profile, profileKey, withDisplayName } from '../domain/profile';
import { iso } from '../domain/time';
import type { Deps } from '../ports/deps';

type ProfileDeps = Pick<Deps, 'sharedValues' | 'clock'>;

const MAX_CAS_ATTEMPTS = 8;

/** The caller's profile (an empty one until a name is set). */
export async function getProfile(deps: Pick<Deps, 'sharedValues'>, userId: string): Promise<Profile> {
  return decodeProfile((await deps.sharedValues.read(profileKey(userId)))?.value);
}

/**
 * Sets the caller's display name: read, change, and write only if nobody wrote in between (the version the read saw),
 * else read again. Gifts already created keep the name they were created with.
 */
export async function setDisplayName(deps: ProfileDeps, userId: string, displayName: string): Promise<Profile> {
  const key = profileKey(userId);
  for (let attempt = 1; attempt <= MAX_CAS_ATTEMPTS; attempt++) {
    const stored = await deps.sharedValues.read(key);
    const current = decodeProfile(stored?.value);
    const next = withDisplayName(current, displayName, iso(deps.clock.now()));
    if (next === current) return current;
    if (await deps.sharedValues.writeIf(key, encodeProfile(next), stored?.version ?? null)) return next;
  }
  throw new AppError('CONCURRENT_UPDATE', 'the profile is being changed by another request; try again');
}
