/** Pure group-order documents for the domain tests (no adapters), built on the 1:1 fixtures' catalog and clock. */
import { createHash } from 'node:crypto';
import { effectBase } from '../../shared/domain/effects';
import { DEFAULT_GIFT_POLICY } from '../../shared/domain/gift-policy';
import { confirmOrderPayment, type GroupMode, type GroupOrder, newGroupOrder } from '../../shared/domain/group-order';
import { DEFAULT_GROUP_POLICY, type GroupPolicy } from '../../shared/domain/group-policy';
import type { GroupUnit } from '../../shared/domain/group-units';
import { addSeconds } from '../../shared/domain/time';
import { ADDRESS, GIVER, RECIPIENT, scarf, T0 } from './memory-deps';

export const ORDER_ID = 'g_group000000001';
export const SCARF_PRICE = 29_900;
export const DRAW_IN = 3_600;

/** Deterministic "random" bytes for a test: SHA-256 of a label, cut or repeated to `n` bytes. */
export function testBytes(label: string, n = 32): Uint8Array {
  const out = Buffer.alloc(n);
  for (let i = 0; i * 32 < n; i++)
    createHash('sha256')
      .update(`${label}#${i}`)
      .digest()
      .copy(out, i * 32);
  return new Uint8Array(out);
}

export interface OrderOptions {
  mode?: GroupMode;
  quantity?: number;
  id?: string;
  now?: string;
  drawInSeconds?: number;
  policy?: GroupPolicy;
}

export function unpaidOrder(opts: OrderOptions = {}): GroupOrder {
  const product = scarf();
  const sku = product.skus.find((s) => s.id === 'sku_scarf_blue')!;
  const now = opts.now ?? T0;
  const mode = opts.mode ?? 'group';
  return newGroupOrder(
    {
      id: opts.id ?? ORDER_ID,
      giverId: GIVER,
      giverName: '爱丽丝',
      product,
      sku,
      message: '新年快乐',
      mode,
      quantity: opts.quantity ?? 3,
      drawAt: mode === 'lottery' ? addSeconds(now, opts.drawInSeconds ?? DRAW_IN) : null,
      seed: mode === 'lottery' ? testBytes(`seed:${opts.id ?? ORDER_ID}`) : null,
      idempotency: null,
    },
    now,
    DEFAULT_GIFT_POLICY,
    opts.policy ?? DEFAULT_GROUP_POLICY,
  );
}

export function paidOrder(opts: OrderOptions = {}): GroupOrder {
  const order = unpaidOrder(opts);
  const now = opts.now ?? T0;
  return confirmOrderPayment(
    order,
    { paymentId: `pay_${order.id}`, amountFen: order.amountFen, paidAt: now },
    { hash: 'h'.repeat(64), version: 1 },
    now,
    DEFAULT_GIFT_POLICY,
  );
}

export const unitsMap = (...units: GroupUnit[]): Map<number, GroupUnit> => new Map(units.map((u) => [u.unitNo, u]));

/** Unit 1 of an order, accepted with an address, its handoff pending: what the dispatchers and the change feed deliver. */
export function acceptedUnit(orderId: string, version = 1): GroupUnit {
  const id = `${orderId}-u001`;
  return {
    id,
    orderId,
    unitNo: 1,
    version,
    status: 'accepted',
    recipientId: RECIPIENT,
    claimedAt: T0,
    skuId: 'sku_scarf_blue',
    skuAttrs: {},
    swaps: [],
    address: ADDRESS,
    acceptedAt: T0,
    declinedAt: null,
    expiredAt: null,
    updatedAt: T0,
    effects: [Object.assign(effectBase(id, 'handoff', T0), { kind: 'handoff' as const })],
  };
}
