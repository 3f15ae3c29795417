import {
  type NoticeTemplate,
  parseNoticeTemplate,
  TEMPLATE_SETTINGS,
  TEMPLATED_EVENTS,
  type TemplatedEvent,
} from '../adapters/wechat/notice-template';
import { WechatAccessToken } from '../adapters/wechat/wechat-access-token';
import { WechatSubscribeNotifier } from '../adapters/wechat/wechat-subscribe-notifier';
import type { CommonConfig } from '../config/common-config';
import type { Clock } from '../ports/clock';
import type { SharedValues } from '../ports/shared-values';

/**
 * Subscription notices through WeChat when the mini program's appid and secret are set (null otherwise): templates
 * from WECHAT_TEMPLATE_* (an unset one skips its event), the access token shared through the target's store.
 */
export function wechatNotifierFrom(config: CommonConfig, values: SharedValues, clock: Clock): WechatSubscribeNotifier | null {
  if (!config.WECHAT_APPID || !config.WECHAT_APP_SECRET) return null;
  const templates: Partial<Record<TemplatedEvent, NoticeTemplate>> = {};
  for (const event of TEMPLATED_EVENTS) {
    const setting = config[TEMPLATE_SETTINGS[event] as keyof CommonConfig] as string | undefined;
    if (!setting) continue;
    const parsed = parseNoticeTemplate(event, setting);
    if (!parsed.ok) throw new Error(`invalid configuration:\n  ${TEMPLATE_SETTINGS[event]}: ${parsed.problems.join('; ')}`);
    templates[event] = parsed.template;
  }
  const tokens = new WechatAccessToken({
    apiBase: config.WECHAT_API_BASE,
    appId: config.WECHAT_APPID,
    appSecret: config.WECHAT_APP_SECRET,
    values,
    clock,
  });
  return new WechatSubscribeNotifier({
    apiBase: config.WECHAT_API_BASE,
    templates,
    ...(config.WECHAT_NOTICE_PAGE ? { page: config.WECHAT_NOTICE_PAGE } : {}),
    miniprogramState: config.WECHAT_MINIPROGRAM_STATE,
    tokens,
  });
}
