/**
 * Template settings (parsed and checked at start-up) and keyword values (cut to each type's limits), judged by the
 * WeChat stand-in's own keyword rules (local/wechat-standin/wx-messages.ts, facts §8).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { keywordProblem } from '../../local/wechat-standin/wx-messages';
import { beijingDateTime, cut, fitKeyword, keywordData } from '../../shared/adapters/wechat/keyword-values';
import { DEFAULT_LAYOUTS, type KeywordType, parseNoticeTemplate, TEMPLATED_EVENTS } from '../../shared/adapters/wechat/notice-template';
import { LocalConfig } from '../../shared/config/local-config';
import { readConfig } from '../../shared/config/read-config';
import type { Notice } from '../../shared/ports/notifier';

const notice = (over: Partial<Notice> = {}): Notice => ({
  idempotencyKey: 'k',
  userId: 'o_giver',
  event: 'gift_refunded',
  giftId: 'g_V1StGXR8_Z5jdHi6B-myT',
  productTitle: '羊绒围巾',
  at: '2026-11-24T08:00:00.000Z',
  amountFen: 19_900,
  reason: 'declined',
  ...over,
});

describe('template settings', () => {
  it('takes a bare template id with the default layout of its event', () => {
    for (const event of TEMPLATED_EVENTS) {
      const parsed = parseNoticeTemplate(event, 'AbC-12_xyz');
      expect(parsed.ok, event).toBe(true);
      if (!parsed.ok) continue;
      expect(parsed.template.templateId).toBe('AbC-12_xyz');
      expect(parsed.template.keywords.map((k) => `${k.key}=${k.field}`).join(',')).toBe(DEFAULT_LAYOUTS[event]);
    }
  });

  it('takes a mapping of keywords to fields, with their types', () => {
    const parsed = parseNoticeTemplate('gift_refunded', 'TPL_1234: character_string1=gift, number2=amount,phrase3=reason,date4=time');
    expect(parsed).toEqual({
      ok: true,
      template: {
        templateId: 'TPL_1234',
        keywords: [
          { key: 'character_string1', type: 'character_string', field: 'gift' },
          { key: 'number2', type: 'number', field: 'amount' },
          { key: 'phrase3', type: 'phrase', field: 'reason' },
          { key: 'date4', type: 'date', field: 'time' },
        ],
      },
    });
  });

  it('names every problem: bad id, unknown keyword type or field, a type that cannot show the field, an amount to a recipient', () => {
    const parsed = parseNoticeTemplate(
      'gift_expiring',
      'no:thing1=product,colour2=product,thing3=price,phrase4=product,amount5=amount,thing1=time,thing6',
    );
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.problems).toEqual([
      '"no" is not a template id (6-64 letters, digits, _ or -)',
      expect.stringContaining('colour2: not a keyword'),
      expect.stringContaining('thing3=price: the fields are'),
      'phrase4=product: a phrase keyword cannot show product (it can: thing)',
      'amount5=amount: gift_expiring notices carry no amount',
      'thing1 is mapped twice',
      '"thing6" is not key=field',
    ]);
  });

  it('stops start-up on a malformed template setting or notice page, naming the setting', () => {
    const env = {
      WECHAT_TEMPLATE_GIFT_CLAIMED: 'TPL_CLAIMED_01:thing1=amount',
      WECHAT_TEMPLATE_GIFT_EXPIRING: 'TPL_EXPIRING_01:amount1=amount',
      WECHAT_NOTICE_PAGE: 'pages/gift/detail?x=1',
    };
    const problems = (() => {
      try {
        readConfig(LocalConfig, env);
        return '';
      } catch (e) {
        return String(e);
      }
    })();
    expect(problems).toContain('WECHAT_TEMPLATE_GIFT_CLAIMED: thing1=amount: gift_claimed notices carry no amount');
    expect(problems).toContain('WECHAT_TEMPLATE_GIFT_EXPIRING: amount1=amount: gift_expiring notices carry no amount');
    expect(problems).toContain('WECHAT_NOTICE_PAGE: must be a page path');
    const ok = readConfig(LocalConfig, { WECHAT_TEMPLATE_GIFT_REFUNDED: 'TPL_REFUND_01', WECHAT_NOTICE_PAGE: 'pages/gift/detail' });
    expect([ok.WECHAT_TEMPLATE_GIFT_REFUNDED, ok.WECHAT_NOTICE_PAGE]).toEqual(['TPL_REFUND_01', 'pages/gift/detail']);
  });
});

describe('keyword values', () => {
  it('counts Han characters outside the BMP as one each, never cutting one in half (fast-check found 𠀀𠀀\\ud840)', () => {
    expect(fitKeyword('phrase', '𠀀'.repeat(7))).toBe('𠀀'.repeat(5));
    expect(keywordProblem('phrase', fitKeyword('phrase', '𠀀'.repeat(7)))).toBeNull();
    expect(fitKeyword('name', `${'𠀀'.repeat(12)}`)).toBe('𠀀'.repeat(10));
  });

  it('formats times in Beijing time, across midnight and the year', () => {
    expect(beijingDateTime('2026-11-24T08:00:00.000Z')).toBe('2026年11月24日 16:00');
    expect(beijingDateTime('2026-12-31T16:30:59.999Z')).toBe('2027年1月1日 00:30');
  });

  it('cuts long titles to 20 characters with an ellipsis, never through an emoji', () => {
    const title = '🎁 新年限定·羊绒围巾（藏青色）礼盒装 👨‍👩‍👧 送长辈';
    const value = fitKeyword('thing', title);
    expect(value).toBe('🎁 新年限定·羊绒围巾（藏青色）礼盒…'); // 🎁 counts 2: 20 in all
    expect(keywordProblem('thing1', value)).toBeNull();
    expect(cut('ab👨‍👩‍👧cd', 4)).toBe('ab…'); // the family emoji (8 UTF-16 units) does not fit: left out whole
    expect(fitKeyword('thing', '第一行\n第二行\t\u200b结束')).toBe('第一行 第二行 结束');
  });

  const anyText = fc.string({ unit: 'grapheme', maxLength: 60 });
  const wechatTypes: KeywordType[] = ['thing', 'number', 'letter', 'character_string', 'symbol', 'phrase', 'name', 'phone_number'];

  it('fits any text to any keyword type so that WeChat’s rules accept it (or leaves it empty)', () => {
    fc.assert(
      fc.property(anyText, fc.constantFrom(...wechatTypes), (text, type) => {
        const value = fitKeyword(type, text);
        if (value === '') return; // nothing of that charset in the text: caught when the mapping is read
        expect(keywordProblem(`${type}1`, value), JSON.stringify({ text, type, value })).toBeNull();
      }),
      { numRuns: 2_000 },
    );
  });

  it('renders every default layout and field within the rules, for any title, amount and time', () => {
    const amounts = fc.integer({ min: 1, max: 99_999_999_99 });
    const times = fc.date({ min: new Date('2000-01-01'), max: new Date('2099-12-31'), noInvalidDate: true });
    fc.assert(
      fc.property(fc.constantFrom(...TEMPLATED_EVENTS), anyText, amounts, times, (event, productTitle, amountFen, at) => {
        const parsed = parseNoticeTemplate(event, 'TPL_ANY_01');
        if (!parsed.ok) throw new Error(parsed.problems.join('; '));
        // The same any-text as the thanks and the giver's name (the thanks notice shows both).
        const texts = { productTitle, thanks: productTitle, giverName: productTitle };
        const data = keywordData(parsed.template, notice({ event, ...texts, amountFen, at: at.toISOString() }));
        for (const [key, { value }] of Object.entries(data)) expect(keywordProblem(key, value), `${key}=${value}`).toBeNull();
      }),
      { numRuns: 500 },
    );
  });

  it('never shows an amount in a notice to the recipient, whatever the notice carries', () => {
    const parsed = parseNoticeTemplate('gift_expiring', 'TPL_EXPIRING_01');
    if (!parsed.ok) throw new Error('default layout refused');
    const data = keywordData(parsed.template, notice({ event: 'gift_expiring', userId: 'o_friend', amountFen: 19_900 }));
    expect(JSON.stringify(data)).not.toMatch(/199|¥/);
  });
});
