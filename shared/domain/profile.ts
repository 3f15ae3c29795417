/**
 * A user's profile: the display name a giver's gifts carry ("小明送你一份礼物"). Kept as one small shared value per user
 * (key `profile#<userId>`), changed only by a versioned compare-and-set, like every other write.
 */

export interface Profile {
  /** Null until the user sets one. */
  displayName: string | null;
  updatedAt: string | null;
}

export const EMPTY_PROFILE: Profile = Object.freeze({ displayName: null, updatedAt: null });

/** The shared-value key of a user's profile. */
export const profileKey = (userId: string) => `profile#${userId}`;

/** The profile with a new display name; the same object when the name is unchanged (nothing to write). */
export function withDisplayName(profile: Profile, displayName: string, now: string): Profile {
  if (profile.displayName === displayName) return profile;
  return { displayName, updatedAt: now };
}

export const encodeProfile = (profile: Profile): string => JSON.stringify(profile);

/** Reads a stored profile; anything unreadable reads as no profile (a name is cosmetic, never worth a 500). */
export function decodeProfile(stored: string | null | undefined): Profile {
  if (!stored) return EMPTY_PROFILE;
  try {
    const raw = JSON.parse(stored) as Partial<Profile> | null;
    return {
      displayName: typeof raw?.displayName === 'string' ? raw.displayName : null,
      updatedAt: typeof raw?.updatedAt === 'string' ? raw.updatedAt : null,
    };
  } catch {
    return EMPTY_PROFILE;
  }
}
