import * as z from 'zod';
import { SkuId, UserId } from './common';

export const SwapVariantBody = z.strictObject({ skuId: SkuId });
export const DevLoginBody = z.strictObject({ userId: UserId });

export const ListGiftsQuery = z.strictObject({
  role: z.enum(['sent', 'received']),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(512).optional(),
});
export type ListGiftsQuery = z.infer<typeof ListGiftsQuery>;
