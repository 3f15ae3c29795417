import * as z from 'zod/mini';
import { brokenTextRule, isBlank, SkuId } from './common';
import { withMeta } from './schema-meta';
import { MESSAGE_MAX_CHARS } from './text-limits';
import { transformed } from './zod-compat';

export { MESSAGE_MAX_CHARS };

export const CreateGiftBody = z.strictObject({
  skuId: SkuId,
  message: withMeta(
    transformed(
      z.nullish(
        transformed(z.string(), (raw, ctx) => {
          const s = raw.trim();
          const broken = brokenTextRule(s, 'message', { max: MESSAGE_MAX_CHARS, required: false, allowLineBreaks: true });
          if (broken) {
            ctx.addIssue({ code: 'custom', message: broken });
            return z.NEVER;
          }
          // Optional: a message nobody could see (spaces, zero-width characters) is no message, as an empty one is.
          return isBlank(s) ? null : s;
        }),
      ),
      (s) => s ?? null,
    ),
    { description: 'Optional gift message, at most 100 characters' },
  ),
  mode: withMeta(z.optional(z.enum(['single', 'group', 'lottery'])), {
    description: '`single` (one friend), `group` (群发礼物: N units, first come) or `lottery` (群礼物抽奖: N winners drawn)',
  }),
  quantity: withMeta(z.optional(z.number().check(z.int(), z.gte(1), z.lte(999))), {
    description: 'Units (group and lottery: 2 … GROUP_MAX_QUANTITY; the amount is quantity × price)',
  }),
  drawAt: withMeta(z.optional(z.iso.datetime({ offset: true })), {
    description: 'Lottery only: when the draw closes, LOTTERY_MIN_DELAY_SECONDS … LOTTERY_MAX_DELAY_SECONDS ahead',
  }),
});
export type CreateGiftBody = z.infer<typeof CreateGiftBody>;

/** Idempotency-Key header of POST /gifts. */
export const IdempotencyKey = z
  .string()
  .check(z.regex(/^[\x21-\x7E]{8,128}$/, 'Idempotency-Key must be 8 to 128 printable ASCII characters'));
