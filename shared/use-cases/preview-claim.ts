import { type PreviewView, previewView } from '../domain/gift-views';
import { iso } from '../domain/time';
import type { Deps } from '../ports/deps';
import { loadGiftByToken } from './claim-link';

/**
 * A claim link's public preview, for someone not signed in and for chat link previews. Misses are limited as signed-in
 * lookups are, keyed by the client's address (`clientKey`, from the HTTP edge) instead of a user: `addr:` keeps those
 * counters apart from users' (user ids never contain ':').
 */
export async function previewClaim(deps: Deps, clientKey: string, token: string): Promise<PreviewView> {
  const gift = await loadGiftByToken(deps, `addr:${clientKey}`, token);
  return previewView(gift, iso(deps.clock.now()));
}
