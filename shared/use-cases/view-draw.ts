import { AppError } from '../domain/errors';
import { isGroupOrder } from '../domain/gift-document';
import { type DrawRecord, publishedDraw } from '../domain/lottery-draw';
import type { Deps } from '../ports/deps';
import { loadGiftByToken } from './claim-link';

/**
 * The published draw of a lottery (docs/group-gifts.md, "The fair draw"): the seed, the frozen list of entrants'
 * salted hashes the draw read, and the winners in rank order. Anyone holding the link may read it and recompute it
 * with scripts/verify-draw.ts; it names nobody.
 */
export async function viewDraw(deps: Deps, callerId: string, token: string): Promise<DrawRecord> {
  const order = await loadGiftByToken(deps, callerId, token);
  if (!isGroupOrder(order) || order.mode !== 'lottery') throw new AppError('NOT_DRAWN', 'this gift has no draw');
  const l = order.lottery;
  if (!l?.drawnAt || !l.entrantsDigest) throw new AppError('NOT_DRAWN', `the draw is at ${l?.drawAt}`);
  return publishedDraw(order, await deps.groupStore.listDrawChunks(order.id, l.entrantsDigest));
}
