import * as z from 'zod';
import {
  CommonConfig,
  MERCHANT_ISSUE,
  merchantOrDemo,
  WEBHOOK_SECRET_ISSUE,
  WEBHOOK_URL_ISSUE,
  webhookSecretWithUrl,
} from './common-config';

/** Tencent CloudBase. */
export const CloudbaseConfig = CommonConfig.extend({
  TCB_ENV: z.string().optional(),
  TCB_COLLECTION: z.string().min(1).default('songli_gifts'),
  TCB_LIMITS_COLLECTION: z.string().min(1).default('songli_limits'),
})
  .refine((c) => Boolean(c.FULFILLMENT_WEBHOOK_URL), WEBHOOK_URL_ISSUE)
  .refine(webhookSecretWithUrl, WEBHOOK_SECRET_ISSUE)
  .refine(merchantOrDemo, MERCHANT_ISSUE);
export type CloudbaseConfig = z.output<typeof CloudbaseConfig>;
