import * as z from 'zod';
import { charCount, SkuId } from './common';

export const MESSAGE_MAX_CHARS = 100;

export const CreateGiftBody = z.strictObject({
  skuId: SkuId,
  message: z
    .string()
    .transform((s) => s.trim())
    .refine((s) => charCount(s) <= MESSAGE_MAX_CHARS, `message must be at most ${MESSAGE_MAX_CHARS} characters`)
    .refine((s) => !/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/.test(s), 'message must not contain control characters')
    .nullish()
    .transform((s) => (s ? s : null))
    .meta({ description: 'Optional gift message, at most 100 characters' }),
});
export type CreateGiftBody = z.infer<typeof CreateGiftBody>;

/** Idempotency-Key header of POST /gifts. */
export const IdempotencyKey = z.string().regex(/^[\x21-\x7E]{8,128}$/, 'Idempotency-Key must be 8 to 128 printable ASCII characters');
