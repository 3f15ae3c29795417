import { createHash } from 'node:crypto';
import { ineligibility } from '../domain/eligibility';
import { AppError } from '../domain/errors';
import type { Gift } from '../domain/gift';
import { newGift } from '../domain/gift-transitions';
import { iso } from '../domain/time';
import type { Deps } from '../ports/deps';
import { GiftExistsError } from '../ports/gift-store';
import type { CreateGiftBody } from '../schemas/create-gift';
import { getProfile } from './profile';

export interface CreateGiftCommand {
  giverId: string;
  body: CreateGiftBody;
  idempotencyKey?: string | undefined;
}

/** With an Idempotency-Key the gift id is derived from (giver, key), so the insert itself is the idempotency check. */
const idFromIdempotencyKey = (giverId: string, key: string) =>
  `g_${createHash('sha256').update(`${giverId}\n${key}`).digest('base64url').slice(0, 22)}`;

const requestHash = (body: CreateGiftBody) =>
  createHash('sha256')
    .update(JSON.stringify([body.skuId, body.message]))
    .digest('hex');

function replayOrReject(existing: Gift, giverId: string, hash: string): { gift: Gift; replayed: true } {
  if (existing.giverId !== giverId || existing.idempotency?.requestHash !== hash) {
    throw new AppError('IDEMPOTENCY_KEY_REUSED', 'this Idempotency-Key was already used with a different request');
  }
  return { gift: existing, replayed: true };
}

/**
 * 送给朋友: creates an unpaid gift for one eligible, in-stock style, carrying the giver's display name. A retry with the same Idempotency-Key
 * returns the gift the first call created; the same key with a different body is rejected.
 */
export async function createGift(deps: Deps, cmd: CreateGiftCommand): Promise<{ gift: Gift; replayed: boolean }> {
  const hash = requestHash(cmd.body);
  const id = cmd.idempotencyKey ? idFromIdempotencyKey(cmd.giverId, cmd.idempotencyKey) : deps.ids.giftId();
  if (cmd.idempotencyKey) {
    const existing = await deps.store.get(id);
    if (existing) return replayOrReject(existing, cmd.giverId, hash);
  }

  const [found, profile] = await Promise.all([deps.catalog.findSku(cmd.body.skuId), getProfile(deps, cmd.giverId)]);
  if (!found) throw new AppError('SKU_NOT_FOUND', `no SKU ${cmd.body.skuId}`);
  const reason = ineligibility(found.product, found.sku, deps.giftPolicy);
  if (reason === 'category_excluded')
    throw new AppError('GIFT_INELIGIBLE', `products in category "${found.product.category}" cannot be sent as gifts`);
  if (reason === 'price_over_limit') {
    const yuan = (deps.giftPolicy.maxPriceFen / 100).toLocaleString('en-US', { maximumFractionDigits: 2 });
    throw new AppError('GIFT_INELIGIBLE', `styles whose original price is over ¥${yuan} cannot be sent as gifts`);
  }
  if (found.sku.stock <= 0) throw new AppError('OUT_OF_STOCK', 'that style is out of stock');

  const gift = newGift(
    {
      id,
      giverId: cmd.giverId,
      // A snapshot: the card shows who sent it as they were called then, whatever they rename themselves to later.
      giverName: profile.displayName,
      product: found.product,
      sku: found.sku,
      message: cmd.body.message,
      idempotency: cmd.idempotencyKey ? { key: cmd.idempotencyKey, requestHash: hash } : null,
    },
    iso(deps.clock.now()),
    deps.giftPolicy,
  );
  try {
    await deps.store.insert(gift);
  } catch (e) {
    // Two concurrent requests with one key: the loser answers with the winner's gift.
    if (e instanceof GiftExistsError && cmd.idempotencyKey) {
      const existing = await deps.store.get(id);
      if (existing) return replayOrReject(existing, cmd.giverId, hash);
    }
    throw e;
  }
  deps.logger.info({ giftId: gift.id, skuId: gift.skuId }, 'gift created');
  return { gift, replayed: false };
}
