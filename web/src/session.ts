/** Local mode's user switcher: each demo user logs in through POST /dev/login; tokens stay in localStorage. */
import { useEffect, useState } from 'preact/hooks';
import { API_BASE } from './config';

export const DEMO_USERS = [
  { id: 'u_xiaoming', name: '小明' },
  { id: 'u_xiaohong', name: '小红' },
  { id: 'u_xiaogang', name: '小刚' },
] as const;

const KEY = 'songli.session';
type Session = { userId: string; token: string } | null;
const listeners = new Set<() => void>();

export function currentSession(): Session {
  try {
    return JSON.parse(localStorage.getItem(KEY) ?? 'null') as Session;
  } catch {
    return null;
  }
}
export const currentToken = () => currentSession()?.token ?? null;

export async function loginAs(userId: string): Promise<void> {
  const res = await fetch(`${API_BASE}/dev/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ userId }),
  });
  if (!res.ok) throw new Error(`login failed (${res.status})`);
  const { token } = (await res.json()) as { token: string };
  localStorage.setItem(KEY, JSON.stringify({ userId, token }));
  for (const l of listeners) l();
}

export function useSession(): Session {
  const [session, setSession] = useState(currentSession);
  useEffect(() => {
    const l = () => setSession(currentSession());
    listeners.add(l);
    return () => listeners.delete(l);
  }, []);
  return session;
}

export const displayName = (userId: string) => DEMO_USERS.find((u) => u.id === userId)?.name ?? userId;

/** Claim tokens are returned once, at payment; the giver's device keeps them to show the card again. */
const TOKENS = 'songli.claimTokens';
export function rememberClaimToken(giftId: string, token: string): void {
  const all = JSON.parse(localStorage.getItem(TOKENS) ?? '{}') as Record<string, string>;
  all[giftId] = token;
  localStorage.setItem(TOKENS, JSON.stringify(all));
}
export const claimTokenOf = (giftId: string): string | null =>
  (JSON.parse(localStorage.getItem(TOKENS) ?? '{}') as Record<string, string>)[giftId] ?? null;

/** The claim links of gifts this device's user received: 我收到的礼物 opens each card again from them. */
const RECEIVED = 'songli.receivedTokens';
export function rememberReceivedToken(giftId: string, token: string): void {
  try {
    const all = JSON.parse(localStorage.getItem(RECEIVED) ?? '{}') as Record<string, string>;
    if (all[giftId] === token) return;
    all[giftId] = token;
    localStorage.setItem(RECEIVED, JSON.stringify(all));
  } catch {
    // No storage: the list still shows the gift, just without the link to its card.
  }
}
export function receivedTokenOf(giftId: string): string | null {
  try {
    return (JSON.parse(localStorage.getItem(RECEIVED) ?? '{}') as Record<string, string>)[giftId] ?? null;
  } catch {
    return null;
  }
}
