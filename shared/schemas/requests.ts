import * as z from 'zod/mini';
import { SkuId, UserId } from './common';

export const SwapVariantBody = z.strictObject({ skuId: SkuId });
export const DevLoginBody = z.strictObject({ userId: UserId });

export const ListGiftsQuery = z.strictObject({
  role: z.enum(['sent', 'received']),
  limit: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(100)), 20),
  cursor: z.optional(z.string().check(z.maxLength(512))),
});
export type ListGiftsQuery = z.infer<typeof ListGiftsQuery>;
