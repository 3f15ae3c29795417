import { ineligibility } from '../domain/eligibility';
import { AppError, type ValidationIssue } from '../domain/errors';
import type { GiftDocument } from '../domain/gift-document';
import { newGift } from '../domain/gift-transitions';
import { assertStockFor, groupOrderIssues, newGroupOrder } from '../domain/group-order';
import { sha256 } from '../domain/sha256';
import { iso } from '../domain/time';
import type { Deps } from '../ports/deps';
import { GiftExistsError } from '../ports/gift-store';
import type { PayParams } from '../ports/payments';
import type { CreateGiftBody } from '../schemas/create-gift';
import { openPaymentAtCreate } from './payment-order';
import { getProfile } from './profile';

export interface CreateGiftCommand {
  giverId: string;
  body: CreateGiftBody;
  idempotencyKey?: string | undefined;
}

/** With an Idempotency-Key the gift id is derived from (giver, key), so the insert itself is the idempotency check. */
const idFromIdempotencyKey = (giverId: string, key: string) => `g_${sha256(`${giverId}\n${key}`, 'base64url').slice(0, 22)}`;

/** A 1:1 gift's hash is what it always was (keys used before group orders still replay); an order's covers its mode too. */
const requestHash = (body: CreateGiftBody) =>
  sha256(
    JSON.stringify(
      (body.mode ?? 'single') === 'single' ? [body.skuId, body.message] : [body.skuId, body.message, body.mode, body.quantity, body.drawAt],
    ),
    'hex',
  );

function replayOrReject(existing: GiftDocument, giverId: string, hash: string): { gift: GiftDocument; replayed: true } {
  if (existing.giverId !== giverId || existing.idempotency?.requestHash !== hash) {
    throw new AppError('IDEMPOTENCY_KEY_REUSED', 'this Idempotency-Key was already used with a different request');
  }
  return { gift: existing, replayed: true };
}

const invalidOrder = (issues: ValidationIssue[]) => new AppError('INVALID_GROUP_ORDER', 'the gift cannot be created as asked', { issues });

export interface CreateGiftResult {
  gift: GiftDocument;
  replayed: boolean;
  /** wx.requestPayment's arguments when the order was opened with the gift (WeChat Pay); null otherwise. */
  payment: PayParams | null;
}

/**
 * 送给朋友: creates an unpaid gift for one eligible, in-stock style, carrying the giver's display name. A retry with the same Idempotency-Key
 * returns the gift the first call created; the same key with a different body is rejected. With WeChat Pay the gift's
 * order is opened too (openPaymentAtCreate), so the page pays without a second request; a replay reopens the same order.
 */
export async function createGift(deps: Deps, cmd: CreateGiftCommand): Promise<CreateGiftResult> {
  const { gift, replayed } = await insertGift(deps, cmd);
  return { gift, replayed, payment: await openPaymentAtCreate(deps, cmd.giverId, gift, { replayed }) };
}

async function insertGift(deps: Deps, cmd: CreateGiftCommand): Promise<{ gift: GiftDocument; replayed: boolean }> {
  // Only a keyed request is ever compared with its replays.
  const hash = cmd.idempotencyKey ? requestHash(cmd.body) : '';
  const id = cmd.idempotencyKey ? idFromIdempotencyKey(cmd.giverId, cmd.idempotencyKey) : deps.ids.giftId();
  // No read first: the conditional insert is the idempotency check. Only a retry reads the gift the first call created:
  // when the insert finds it (GiftExistsError), or when the request no longer passes (the style sold out since).
  let gift: GiftDocument;
  try {
    gift = await buildGift(deps, cmd, id, hash);
    await deps.store.insert(gift);
  } catch (e) {
    if (cmd.idempotencyKey && (e instanceof GiftExistsError || e instanceof AppError)) {
      const existing = await deps.store.get(id);
      if (existing) return replayOrReject(existing, cmd.giverId, hash);
    }
    throw e;
  }
  deps.logger.info({ giftId: gift.id, skuId: gift.skuId, mode: cmd.body.mode ?? 'single' }, 'gift created');
  return { gift, replayed: false };
}

async function buildGift(deps: Deps, cmd: CreateGiftCommand, id: string, hash: string): Promise<GiftDocument> {
  const [found, profile] = await Promise.all([deps.catalog.findSku(cmd.body.skuId), getProfile(deps, cmd.giverId)]);
  if (!found) throw new AppError('SKU_NOT_FOUND', `no SKU ${cmd.body.skuId}`);
  const reason = ineligibility(found.product, found.sku, deps.giftPolicy);
  if (reason === 'category_excluded')
    throw new AppError('GIFT_INELIGIBLE', `products in category "${found.product.category}" cannot be sent as gifts`);
  if (reason === 'price_over_limit') {
    const yuan = (deps.giftPolicy.maxPriceFen / 100).toLocaleString('en-US', { maximumFractionDigits: 2 });
    throw new AppError('GIFT_INELIGIBLE', `styles whose original price is over ¥${yuan} cannot be sent as gifts`);
  }
  const mode = cmd.body.mode ?? 'single';
  const now = iso(deps.clock.now());
  const idempotency = cmd.idempotencyKey ? { key: cmd.idempotencyKey, requestHash: hash } : null;
  let gift: GiftDocument;
  if (mode === 'single') {
    if (cmd.body.quantity !== undefined && cmd.body.quantity !== 1)
      throw invalidOrder([{ path: 'quantity', message: 'a gift to one friend is one unit: use mode "group" or "lottery" for more' }]);
    if (cmd.body.drawAt !== undefined) throw invalidOrder([{ path: 'drawAt', message: 'only a lottery has a draw time' }]);
    if (found.sku.stock <= 0) throw new AppError('OUT_OF_STOCK', 'that style is out of stock');
  } else {
    const order = { mode, quantity: cmd.body.quantity ?? Number.NaN, drawAt: cmd.body.drawAt ?? null };
    if (cmd.body.quantity === undefined) throw invalidOrder([{ path: 'quantity', message: `a ${mode} gift needs a quantity` }]);
    const issues = groupOrderIssues(order, now, deps.groupPolicy);
    if (issues.length) throw invalidOrder(issues);
    assertStockFor(found.sku, order.quantity);
  }
  if (mode !== 'single') {
    gift = newGroupOrder(
      {
        id,
        giverId: cmd.giverId,
        giverName: profile.displayName,
        product: found.product,
        sku: found.sku,
        message: cmd.body.message,
        mode,
        quantity: cmd.body.quantity!,
        drawAt: cmd.body.drawAt ?? null,
        // The lottery's secret seed, fixed before anyone enters; only its SHA-256 (the commitment) is shown until the draw.
        seed: mode === 'lottery' ? deps.random(32) : null,
        idempotency,
      },
      now,
      deps.giftPolicy,
      deps.groupPolicy,
    );
  } else
    gift = newGift(
      {
        id,
        giverId: cmd.giverId,
        // A snapshot: the card shows who sent it as they were called then, whatever they rename themselves to later.
        giverName: profile.displayName,
        product: found.product,
        sku: found.sku,
        message: cmd.body.message,
        idempotency,
      },
      now,
      deps.giftPolicy,
    );
  return gift;
}
