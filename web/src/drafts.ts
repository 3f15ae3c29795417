/**
 * What a friend typed on a claim card, kept for the browser tab's session (sessionStorage) per user and claim link, so
 * a refresh mid-form loses nothing; dropped once the server has it. Storage may be unavailable (private mode): then
 * the draft lives as long as the page.
 */
import { useState } from 'preact/hooks';

export interface AddressDraft {
  name: string;
  phone: string;
  province: string;
  city: string;
  district: string;
  detail: string;
}

export interface ClaimDraft {
  /** The address form's fields, while they differ from what the server has. */
  address?: AddressDraft;
  /** 修改地址 was pressed: the form shows over a saved address. */
  editing?: boolean;
  thanks?: string;
}

const keyOf = (userId: string, token: string) => `songli.claimDraft.${userId}.${token}`;

function read(key: string): ClaimDraft {
  try {
    return (JSON.parse(sessionStorage.getItem(key) ?? 'null') as ClaimDraft | null) ?? {};
  } catch {
    return {};
  }
}

function write(key: string, draft: ClaimDraft): void {
  try {
    if (Object.values(draft).every((v) => v === undefined)) sessionStorage.removeItem(key);
    else sessionStorage.setItem(key, JSON.stringify(draft));
  } catch {
    // No storage: the in-memory draft still carries the page.
  }
}

/**
 * The draft, and `update` to merge a change into it (an `undefined` field is dropped). A change may be computed from
 * the latest draft: an autofill sets several fields before the page renders again, and none may undo another.
 */
export function useClaimDraft(
  userId: string,
  token: string,
): [ClaimDraft, (change: Partial<ClaimDraft> | ((d: ClaimDraft) => Partial<ClaimDraft>)) => void] {
  const key = keyOf(userId, token);
  const [draft, setDraft] = useState(() => read(key));
  const update = (change: Partial<ClaimDraft> | ((d: ClaimDraft) => Partial<ClaimDraft>)) =>
    setDraft((d) => {
      const next = { ...d, ...(typeof change === 'function' ? change(d) : change) };
      write(key, next);
      return next;
    });
  return [draft, update];
}
