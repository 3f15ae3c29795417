import { AppError } from '../domain/errors';
import type { Gift } from '../domain/gift';
import { swapVariant } from '../domain/gift-transitions';
import type { Deps } from '../ports/deps';
import { runClaimCommand } from './claim-link';

/** 换个款式: the recipient switches to another in-stock style of the same product at the same price. */
export async function swapGiftVariant(deps: Deps, callerId: string, token: string, skuId: string, known?: Gift): Promise<Gift> {
  const target = await deps.catalog.findSku(skuId);
  if (!target) throw new AppError('SKU_NOT_FOUND', `no SKU ${skuId}`);
  return runClaimCommand(deps, callerId, token, (g, now) => swapVariant(g, callerId, target, now), known);
}
