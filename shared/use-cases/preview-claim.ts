import { isGroupOrder } from '../domain/gift-document';
import { type PreviewView, previewView } from '../domain/gift-views';
import { orderPreviewView, unitsHeld } from '../domain/group-views';
import { iso } from '../domain/time';
import type { Deps } from '../ports/deps';
import { loadGiftByToken } from './claim-link';

/**
 * A claim link's public preview, for someone not signed in and for chat link previews. Misses are limited as signed-in
 * lookups are, keyed by the client's address (`clientKey`, from the HTTP edge) instead of a user: `addr:` keeps those
 * counters apart from users' (user ids never contain ':').
 */
export async function previewClaim(deps: Deps, clientKey: string, token: string): Promise<PreviewView> {
  const doc = await loadGiftByToken(deps, `addr:${clientKey}`, token);
  const now = iso(deps.clock.now());
  if (!isGroupOrder(doc)) return previewView(doc, now);
  const units = doc.mode === 'group' && doc.status === 'sent' ? await deps.groupStore.listUnits(doc.id) : new Map();
  return orderPreviewView(doc, unitsHeld(doc, units), now);
}
