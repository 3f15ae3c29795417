import { makeDeps } from '../test/support/memory-deps';
import { createGift } from '../shared/use-cases/create-gift';
import { payGift } from '../shared/use-cases/pay-gift';
import { claimGift } from '../shared/use-cases/claim-gift';
import { setGiftAddress } from '../shared/use-cases/set-address';
import { swapGiftVariant } from '../shared/use-cases/swap-variant';
import { acceptGift } from '../shared/use-cases/accept-gift';
import { dispatchDueEffects } from '../shared/use-cases/dispatch-effects';
import { AddressBody } from '../shared/schemas/address';
const deps = makeDeps();
const addr = AddressBody.parse({ name: '张三', phone: '13800138000', regionCode: '110105', detail: '建国路88号' });
const N = 20000;
const t0 = performance.now();
for (let i = 0; i < N; i++) {
  const { gift } = await createGift(deps, { giverId: `g${i}`, body: { skuId: 'sku_scarf_blue', message: null } });
  const { claimToken } = await payGift(deps, `g${i}`, gift.id);
  await claimGift(deps, `f${i}`, claimToken!);
  await setGiftAddress(deps, `f${i}`, claimToken!, addr);
  await swapGiftVariant(deps, `f${i}`, claimToken!, 'sku_scarf_grey');
  await acceptGift(deps, `f${i}`, claimToken!);
  if (i % 100 === 99) await dispatchDueEffects(deps, 'handoff', { limit: 100 });
}
const ms = performance.now() - t0;
console.log(`${N} lifecycles in ${ms.toFixed(0)} ms = ${(N / ms * 1000).toFixed(0)}/s`);
