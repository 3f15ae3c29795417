import * as z from 'zod';
import { CommonConfig, positive, WEBHOOK_SECRET_ISSUE, webhookSecretWithUrl, withWechatRules } from './common-config';

/** `npm start`: the local server on an embedded store, simulated merchant services unless MERCHANT_API_URL is set. */
export const LocalConfig = withWechatRules(
  CommonConfig.extend({
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    HOST: z.string().default('127.0.0.1'),
    DATA_DIR: z.string().default('./.data'),
    /** dynalite (the DynamoDB adapter AWS runs), leveldb (fast, for big data sets) or memory. */
    LOCAL_STORE: z.enum(['dynalite', 'leveldb', 'memory']).default('dynalite'),
    /** The embedded DynamoDB's table. `-v2`: the table layout of the sharded timer index (earlier data is copied in). */
    GIFTS_TABLE: z.string().min(3).default('songli-gifts-v2'),
    /** The embedded DynamoDB's table of the group orders' parts (keyed pk, sk; created when missing). */
    PARTS_TABLE: z.string().min(3).default('songli-parts'),
    SWEEP_INTERVAL_SECONDS: positive(60),
    DISPATCH_INTERVAL_SECONDS: positive(5),
    /**
     * Deliver effects right after the commit that recorded them (an in-process change feed); `false` leaves them to the
     * dispatch timer (tests that hold effects back until they run the dispatchers).
     */
    LOCAL_CHANGE_FEED: z
      .enum(['true', 'false'])
      .default('true')
      .transform((v) => v === 'true'),
    /** Signs local-mode login tokens; generated and kept under DATA_DIR when unset. */
    DEV_JWT_SECRET: z.string().min(32).optional(),
  }).refine(webhookSecretWithUrl, WEBHOOK_SECRET_ISSUE),
  { deployed: false },
);
export type LocalConfig = z.output<typeof LocalConfig>;
