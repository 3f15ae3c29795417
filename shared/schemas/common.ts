import * as z from 'zod';
import { GIFT_ID_PATTERN } from '../domain/gift';

/** User ids come from the platform (JWT sub, WX_OPENID) or /dev/login. */
export const UserId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'letters, digits, "_" or "-", 1 to 64 characters');

export const GiftId = z.string().regex(GIFT_ID_PATTERN, 'not a gift id');
export const SkuId = z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/, 'not a SKU id');

/** Counts characters as Unicode code points, so 100 Chinese characters (or emoji) are 100, not 200 UTF-16 units. */
export const charCount = (s: string) => Array.from(s).length;
