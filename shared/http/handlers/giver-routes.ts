import { giverView } from '../../domain/gift-views';
import { iso } from '../../domain/time';
import { IdempotencyKey } from '../../schemas/create-gift';
import { createGift } from '../../use-cases/create-gift';
import { listReceivedGifts, listSentGifts } from '../../use-cases/list-gifts';
import { loadGiverGift } from '../../use-cases/load-giver-gift';
import { payGift } from '../../use-cases/pay-gift';
import { reissueClaimLink } from '../../use-cases/reissue-claim-link';
import { operations } from '../operations';
import { parseWith } from '../read-input';
import { route } from '../route';

const now = (deps: { clock: { now(): Date } }) => iso(deps.clock.now());

export const createGiftRoute = route(operations.createGift, async ({ c, deps, callerId, body }) => {
  const header = c.req.header('idempotency-key');
  const idempotencyKey = header === undefined ? undefined : parseWith(IdempotencyKey, header, 'Idempotency-Key header');
  const { gift, replayed } = await createGift(deps, { giverId: callerId, body, idempotencyKey });
  return { body: { gift: giverView(gift, now(deps)) }, headers: replayed ? { 'idempotent-replayed': 'true' } : undefined };
});

export const payGiftRoute = route(operations.payGift, async ({ deps, callerId, params }) => {
  const { gift, claimToken } = await payGift(deps, callerId, params.id!);
  return { body: { gift: { ...giverView(gift, now(deps)), claimToken } } };
});

export const reissueClaimLinkRoute = route(operations.reissueClaimLink, async ({ deps, callerId, params }) => {
  const { gift, claimToken } = await reissueClaimLink(deps, callerId, params.id!);
  return { body: { gift: { ...giverView(gift, now(deps)), claimToken } } };
});

export const getGiftRoute = route(operations.getGift, async ({ deps, callerId, params }) => {
  const gift = await loadGiverGift(deps, callerId, params.id!);
  return { body: { gift: giverView(gift, now(deps)) } };
});

export const listGiftsRoute = route(operations.listGifts, async ({ deps, callerId, query }) => {
  const page = query.role === 'sent' ? await listSentGifts(deps, callerId, query.limit, query.cursor) : await listReceivedGifts(deps, callerId, query.limit, query.cursor);
  return { body: { gifts: page.items, cursor: page.cursor } };
});
