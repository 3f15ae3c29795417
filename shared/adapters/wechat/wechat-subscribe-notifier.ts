import { FinalDeliveryError } from '../../ports/final-delivery-error';
import type { Notice, NoticeOutcome, Notifier } from '../../ports/notifier';
import { keywordData, MissingNoticeField } from './keyword-values';
import { isTemplatedEvent, type NoticeTemplate, TEMPLATE_SETTINGS, type TemplatedEvent } from './notice-template';
import type { WechatAccessToken } from './wechat-access-token';
import { describeError, postWechat, type WechatAnswer, WechatCallError } from './wechat-api';

/** The user did not accept this template, or accepted once and was already sent a message for it (facts §8). */
const NOT_SUBSCRIBED = 43101;
/** The access token was revoked (another one was forced) or has expired. */
const TOKEN_REJECTED = new Set([40001, 42001]);
/**
 * Refusals that the same message can never get past: 47003 data that breaks a keyword's rule (errmsg names it),
 * 47001 malformed data, 40037 unknown template, 41030 page not in the mini program, 40003 unknown openid.
 */
const REFUSED_FOR_GOOD = new Set([47003, 47001, 40037, 41030, 40003]);

export interface WechatNoticeOptions {
  apiBase: string;
  /** One template per event; an event without one is skipped. */
  templates: Partial<Record<TemplatedEvent, NoticeTemplate>>;
  /** The mini-program page a notice opens (`?giftId=` added); none: the notice opens nothing. */
  page?: string;
  miniprogramState: 'developer' | 'trial' | 'formal';
  tokens: WechatAccessToken;
  /** How long a subscribe/send call may take (default 5 s). */
  timeoutMs?: number;
}

/**
 * Notices as subscription messages (订阅消息, shown as 服务通知): `POST /cgi-bin/message/subscribe/send`. WeChat keeps
 * no idempotency key, so a send whose answer was lost (a timeout) may be delivered twice when the dispatcher retries.
 */
export class WechatSubscribeNotifier implements Notifier {
  constructor(private readonly opts: WechatNoticeOptions) {}

  async notify(notice: Notice): Promise<NoticeOutcome> {
    if (!isTemplatedEvent(notice.event)) return { status: 'skipped', reason: `legacy event ${notice.event}: no template` };
    const template = this.opts.templates[notice.event];
    if (!template) return { status: 'skipped', reason: `no template: ${TEMPLATE_SETTINGS[notice.event]} is not set` };
    let data: Record<string, { value: string }>;
    try {
      data = keywordData(template, notice);
    } catch (e) {
      if (e instanceof MissingNoticeField) throw new FinalDeliveryError('NOTICE_FIELD_MISSING', `${notice.event}: ${e.message}`);
      throw e;
    }
    const body = {
      touser: notice.userId,
      template_id: template.templateId,
      ...(this.opts.page ? { page: `${this.opts.page}?giftId=${encodeURIComponent(notice.giftId)}` } : {}),
      data,
      miniprogram_state: this.opts.miniprogramState,
      lang: 'zh_CN',
    };
    const token = await this.opts.tokens.current();
    let answer = await this.send(token, body);
    if (answer.errcode && TOKEN_REJECTED.has(answer.errcode)) answer = await this.send(await this.opts.tokens.replace(token), body);
    return this.outcome(notice, answer);
  }

  private send(token: string, body: object): Promise<WechatAnswer> {
    const url = `${this.opts.apiBase.replace(/\/$/, '')}/cgi-bin/message/subscribe/send?access_token=${encodeURIComponent(token)}`;
    return postWechat(url, body, this.opts.timeoutMs ?? 5_000);
  }

  private outcome(notice: Notice, answer: WechatAnswer): NoticeOutcome {
    const code = answer.errcode ?? 0;
    if (code === 0) return { status: 'sent' };
    if (code === NOT_SUBSCRIBED) return { status: 'skipped', reason: 'not_subscribed' };
    const what = `subscribe/send (${notice.event}) answered ${describeError(answer)}`;
    if (REFUSED_FOR_GOOD.has(code)) throw new FinalDeliveryError(`WECHAT_${code}`, what);
    throw new WechatCallError(what, code); // -1 busy, 45009 quota, a token rejected twice, …: retried later
  }
}
