import { DEMO_CATALOG } from '../../shared/catalog/demo-catalog';
import { hashClaimToken } from '../../shared/domain/claim-token';
import type { Gift } from '../../shared/domain/gift';
import { DEFAULT_GIFT_POLICY } from '../../shared/domain/gift-policy';
import { accept, claim, confirmPayment, newGift, setAddress } from '../../shared/domain/gift-transitions';
import { addSeconds } from '../../shared/domain/time';

const scarf = DEMO_CATALOG.find((p) => p.id === 'p_scarf')!;

/** A gift document built with the real transitions (no hand-written state). */
export function unpaidGift(id: string, giverId: string, createdAt: string): Gift {
  return newGift(
    { id, giverId, product: scarf, sku: scarf.skus[0]!, message: '生日快乐', idempotency: null },
    createdAt,
    DEFAULT_GIFT_POLICY,
  );
}

export function sentGift(id: string, giverId: string, createdAt: string): Gift {
  return confirmPayment(
    unpaidGift(id, giverId, createdAt),
    { paymentId: `pay_${id}`, amountFen: 29_900, paidAt: createdAt },
    { hash: hashClaimToken(`${id}.secret`), version: 1 },
    createdAt,
    DEFAULT_GIFT_POLICY,
  );
}

export function claimedGift(id: string, giverId: string, recipientId: string, at: string): Gift {
  return claim(sentGift(id, giverId, at), recipientId, addSeconds(at, 60), DEFAULT_GIFT_POLICY);
}

export function acceptedGift(id: string, giverId: string, recipientId: string, at: string): Gift {
  const claimed = claimedGift(id, giverId, recipientId, at);
  const addressed = setAddress(
    claimed,
    recipientId,
    {
      name: '李四',
      phone: '+8613800138000',
      regionCode: '110105',
      province: '北京市',
      city: '北京市',
      district: '朝阳区',
      detail: '朝阳路 1 号',
    },
    addSeconds(at, 120),
  );
  return accept(addressed, recipientId, addSeconds(at, 180));
}
