import type { ClaimCard } from '../api';
import { pageHref } from '../claim-link';

const WORDS: Record<ClaimCard['status'], [title: string, text: string]> = {
  awaiting_payment: ['这份礼物还没有付款', '付款后才会生成领取链接。'],
  sent: ['这是你送出的礼物', '把链接发给朋友，由朋友来领取。'],
  claimed: ['朋友已领取你的礼物', '朋友正在填写收货信息，收下后商家就会发货。'],
  accepted: ['朋友已收下你的礼物', '商家会把礼物寄给朋友，收货信息只有朋友自己能看到。'],
  declined: ['朋友没有收下这份礼物', '款项会原路退回给你。'],
  expired: ['礼物已过期', '朋友没有在 24 小时内收下，款项会原路退回给你。'],
  canceled: ['这份礼物已取消', '没有送出，也不会扣款。'],
};

/** Where the giver's own gift stands, in a few words: the claim page's heading and title for him. */
export const ownGiftTitle = (status: ClaimCard['status']): string => WORDS[status][0];

/**
 * The giver opening his own claim link: where the gift stands and the way to its card. Told to share the link while
 * it waits for a friend, never once a friend has it.
 */
export function OwnGiftNotice({ gift }: { gift: Pick<ClaimCard, 'id' | 'status'> }) {
  const [title, text] = WORDS[gift.status];
  return (
    <section class="notice" aria-live="polite" aria-labelledby="own-gift-title">
      <h2 id="own-gift-title">{title}</h2>
      <p>{text}</p>
      <p>
        <a class="button-link" href={pageHref(`/sent/${encodeURIComponent(gift.id)}`)}>
          查看礼物卡
        </a>
      </p>
    </section>
  );
}
