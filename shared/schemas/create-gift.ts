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
});
export type CreateGiftBody = z.infer<typeof CreateGiftBody>;

/** Idempotency-Key header of POST /gifts. */
export const IdempotencyKey = z.string().regex(/^[\x21-\x7E]{8,128}$/, 'Idempotency-Key must be 8 to 128 printable ASCII characters');
