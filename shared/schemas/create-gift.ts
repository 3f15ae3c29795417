import * as z from 'zod';
import { brokenTextRule, isBlank, SkuId } from './common';
import { MESSAGE_MAX_CHARS } from './text-limits';

export { MESSAGE_MAX_CHARS };

export const CreateGiftBody = z.strictObject({
  skuId: SkuId,
  message: z
    .string()
    .transform((raw, ctx) => {
      const s = raw.trim();
      const broken = brokenTextRule(s, 'message', { max: MESSAGE_MAX_CHARS, required: false, allowLineBreaks: true });
      if (broken) {
        ctx.addIssue({ code: 'custom', message: broken });
        return z.NEVER;
      }
      // Optional: a message nobody could see (spaces, zero-width characters) is no message, as an empty one is.
      return isBlank(s) ? null : s;
    })
    .nullish()
    .transform((s) => s ?? null)
    .meta({ description: 'Optional gift message, at most 100 characters' }),
  mode: z
    .enum(['single', 'group', 'lottery'])
    .optional()
    .meta({ description: '`single` (one friend), `group` (群发礼物: N units, first come) or `lottery` (群礼物抽奖: N winners drawn)' }),
  quantity: z
    .number()
    .int()
    .min(1)
    .max(999)
    .optional()
    .meta({ description: 'Units (group and lottery: 2 … GROUP_MAX_QUANTITY; the amount is quantity × price)' }),
  drawAt: z.iso
    .datetime({ offset: true })
    .optional()
    .meta({ description: 'Lottery only: when the draw closes, LOTTERY_MIN_DELAY_SECONDS … LOTTERY_MAX_DELAY_SECONDS ahead' }),
});
export type CreateGiftBody = z.infer<typeof CreateGiftBody>;

/** Idempotency-Key header of POST /gifts. */
export const IdempotencyKey = z.string().regex(/^[\x21-\x7E]{8,128}$/, 'Idempotency-Key must be 8 to 128 printable ASCII characters');
