import { AppError } from '../domain/errors';
import { isGroupOrder } from '../domain/gift-document';
import { type GiverView, type ReceivedView, receivedView } from '../domain/gift-views';
import { iso } from '../domain/time';
import type { Deps } from '../ports/deps';
import { InvalidCursorError, type Page } from '../ports/gift-store';
import { giverViewOf } from './giver-gift';

/** A cursor the store refuses is the caller's mistake: 422 INVALID_CURSOR, never a 500. */
async function page<T>(read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (e) {
    if (e instanceof InvalidCursorError)
      throw new AppError('INVALID_CURSOR', e.message, { issues: [{ path: 'cursor', message: e.reason }], cause: e });
    throw e;
  }
}

/** 我送出的礼物: the caller's sent gifts, newest first, as the giver may see them. */
export async function listSentGifts(deps: Deps, giverId: string, limit: number, cursor?: string): Promise<Page<GiverView>> {
  const found = await page(() => deps.store.listByGiver(giverId, limit, cursor));
  const now = iso(deps.clock.now());
  return { items: await Promise.all(found.items.map((g) => giverViewOf(deps, g, now))), cursor: found.cursor };
}

/** 我收到的礼物: gifts the caller claimed, newest first, without prices. */
export async function listReceivedGifts(deps: Deps, recipientId: string, limit: number, cursor?: string): Promise<Page<ReceivedView>> {
  const found = await page(() => deps.store.listByRecipient(recipientId, limit, cursor));
  const now = iso(deps.clock.now());
  // Group orders have no recipient entries (their units' recipients are in the group store).
  return { items: found.items.flatMap((g) => (isGroupOrder(g) ? [] : [receivedView(g, now)])), cursor: found.cursor };
}
