import * as z from 'zod/mini';
import { transformed } from '../schemas/zod-compat';
import { CommonConfig, positive, WEBHOOK_SECRET_ISSUE, webhookSecretWithUrl, withWechatRules } from './common-config';
import { EVERY_SETTINGS_CHECK } from './wechat-settings';

/** `npm start`: the local server on an embedded store, simulated merchant services unless MERCHANT_API_URL is set. */
export const LocalConfig = withWechatRules(
  z
    .extend(CommonConfig, {
      PORT: z._default(z.coerce.number().check(z.int(), z.gte(0), z.lte(65535)), 3000),
      HOST: z._default(z.string(), '127.0.0.1'),
      DATA_DIR: z._default(z.string(), './.data'),
      /** dynalite (the DynamoDB adapter AWS runs), leveldb (fast, for big data sets) or memory. */
      LOCAL_STORE: z._default(z.enum(['dynalite', 'leveldb', 'memory']), 'dynalite'),
      /** The embedded DynamoDB's table. `-v2`: the table layout of the sharded timer index (earlier data is copied in). */
      GIFTS_TABLE: z._default(z.string().check(z.minLength(3)), 'songli-gifts-v2'),
      /** The embedded DynamoDB's table of the group orders' parts (keyed pk, sk; created when missing). */
      PARTS_TABLE: z._default(z.string().check(z.minLength(3)), 'songli-parts'),
      SWEEP_INTERVAL_SECONDS: positive(60),
      DISPATCH_INTERVAL_SECONDS: positive(5),
      /**
       * Deliver effects right after the commit that recorded them (an in-process change feed); `false` leaves them to the
       * dispatch timer (tests that hold effects back until they run the dispatchers).
       */
      LOCAL_CHANGE_FEED: transformed(z._default(z.enum(['true', 'false']), 'true'), (v) => v === 'true'),
      /** Signs local-mode login tokens; generated and kept under DATA_DIR when unset. */
      DEV_JWT_SECRET: z.optional(z.string().check(z.minLength(32))),
    })
    .check(z.refine(webhookSecretWithUrl, WEBHOOK_SECRET_ISSUE)),
  { deployed: false },
  EVERY_SETTINGS_CHECK, // the local server wires every adapter
);
export type LocalConfig = z.output<typeof LocalConfig>;
