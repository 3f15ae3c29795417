import * as z from 'zod/mini';
import { CommonConfig, withDeployRules, withWechatRules } from './common-config';
import { EVERY_SETTINGS_CHECK, type SettingsCheck } from './wechat-settings';

const CloudbaseSettings = withDeployRules(
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

/** Tencent CloudBase, with the settings checks of the adapters the function wires (shared/config/wechat-settings.ts). */
export const cloudbaseConfig = (checks: readonly SettingsCheck[]) => withWechatRules(CloudbaseSettings, { deployed: true }, checks);

/** A function wiring every adapter (the tests). Dropped from bundles that do not read it. */
export const CloudbaseConfig = /* @__PURE__ */ cloudbaseConfig(EVERY_SETTINGS_CHECK);
export type CloudbaseConfig = z.output<typeof CloudbaseConfig>;
