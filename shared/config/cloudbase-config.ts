import * as z from 'zod';
import { CommonConfig, withDeployRules } from './common-config';

/** Tencent CloudBase. */
export const CloudbaseConfig = withDeployRules(
  CommonConfig.extend({
    TCB_ENV: z.string().optional(),
    TCB_COLLECTION: z.string().min(1).default('songli_gifts'),
    TCB_LIMITS_COLLECTION: z.string().min(1).default('songli_limits'),
    /** Values every instance shares (WeChat's access token). */
    TCB_VALUES_COLLECTION: z.string().min(1).default('songli_values'),
    /** The group orders' parts (units, markers, lottery entries, draw lists); composite index (pk asc, sk asc). */
    TCB_PARTS_COLLECTION: z.string().min(1).default('gift_parts'),
  }),
);
export type CloudbaseConfig = z.output<typeof CloudbaseConfig>;
