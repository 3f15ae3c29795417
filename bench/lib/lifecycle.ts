/**
 * One complete gift through the real use cases, as the pages ask for it: create → pay → claim → swap → 收下礼物 with the
 * address filled in (one request since the accept carries the address; before, the address was saved by its own write).
 */
import type { Address } from '../../shared/domain/gift';
import type { Deps } from '../../shared/ports/deps';
import { AddressBody } from '../../shared/schemas/address';
import { acceptGift } from '../../shared/use-cases/accept-gift';
import { claimGift } from '../../shared/use-cases/claim-gift';
import { createGift } from '../../shared/use-cases/create-gift';
import { payGift } from '../../shared/use-cases/pay-gift';
import { swapGiftVariant } from '../../shared/use-cases/swap-variant';

export const BENCH_ADDRESS: Address = AddressBody.parse({
  name: '张三',
  phone: '13800138000',
  regionCode: '110105',
  detail: '建国路 88 号',
});

export async function fullLifecycle(deps: Deps, n: number): Promise<string> {
  const giver = `giver_${n}`;
  const friend = `friend_${n}`;
  const { gift } = await createGift(deps, { giverId: giver, body: { skuId: 'sku_scarf_blue', message: '生日快乐' } });
  const { claimToken } = await payGift(deps, giver, gift.id);
  await claimGift(deps, friend, claimToken!);
  await swapGiftVariant(deps, friend, claimToken!, 'sku_scarf_grey');
  await acceptGift(deps, friend, claimToken!, { address: BENCH_ADDRESS });
  return gift.id;
}
