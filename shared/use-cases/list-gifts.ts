import { giverView, receivedView, type GiverView, type ReceivedView } from '../domain/gift-views';
import { iso } from '../domain/time';
import type { Deps } from '../ports/deps';
import type { Page } from '../ports/gift-store';

/** 我送出的礼物: the caller's sent gifts, newest first, as the giver may see them. */
export async function listSentGifts(deps: Deps, giverId: string, limit: number, cursor?: string): Promise<Page<GiverView>> {
  const page = await deps.store.listByGiver(giverId, limit, cursor);
  const now = iso(deps.clock.now());
  return { items: page.items.map((g) => giverView(g, now)), cursor: page.cursor };
}

/** 我收到的礼物: gifts the caller claimed, newest first, without prices. */
export async function listReceivedGifts(deps: Deps, recipientId: string, limit: number, cursor?: string): Promise<Page<ReceivedView>> {
  const page = await deps.store.listByRecipient(recipientId, limit, cursor);
  const now = iso(deps.clock.now());
  return { items: page.items.map((g) => receivedView(g, now)), cursor: page.cursor };
}
