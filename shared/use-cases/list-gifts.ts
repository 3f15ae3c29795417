import { AppError } from '../domain/errors';
import { type GiverView, giverView, type ReceivedView, receivedView } from '../domain/gift-views';
import { iso } from '../domain/time';
import type { Deps } from '../ports/deps';
import { InvalidCursorError, type Page } from '../ports/gift-store';

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
  return { items: found.items.map((g) => giverView(g, now)), cursor: found.cursor };
}

/** 我收到的礼物: gifts the caller claimed, newest first, without prices. */
export async function listReceivedGifts(deps: Deps, recipientId: string, limit: number, cursor?: string): Promise<Page<ReceivedView>> {
  const found = await page(() => deps.store.listByRecipient(recipientId, limit, cursor));
  const now = iso(deps.clock.now());
  return { items: found.items.map((g) => receivedView(g, now)), cursor: found.cursor };
}
