import * as z from 'zod/mini';
import { CommonConfig, withDeployRules } from './common-config';

/** Tencent CloudBase. */
export const CloudbaseConfig = withDeployRules(
  z.extend(CommonConfig, {
    TCB_ENV: z.optional(z.string()),
    TCB_COLLECTION: z._default(z.string().check(z.minLength(1)), 'songli_gifts'),
    TCB_LIMITS_COLLECTION: z._default(z.string().check(z.minLength(1)), 'songli_limits'),
    /** Values every instance shares (WeChat's access token). */
    TCB_VALUES_COLLECTION: z._default(z.string().check(z.minLength(1)), 'songli_values'),
    /** The group orders' parts (units, markers, lottery entries, draw lists); composite index (pk asc, sk asc). */
    TCB_PARTS_COLLECTION: z._default(z.string().check(z.minLength(1)), 'gift_parts'),
  }),
);
export type CloudbaseConfig = z.output<typeof CloudbaseConfig>;
