import type { ClaimCard } from '../api';

const WORDS: Partial<Record<ClaimCard['status'], [title: string, text: string]>> = {
  sent: ['这是你送出的礼物', '把链接发给朋友，由朋友来领取。'],
  claimed: ['朋友已领取你的礼物', '朋友正在填写收货信息，收下后商家就会发货。'],
  accepted: ['朋友已收下你的礼物', '商家会把礼物寄给朋友，收货信息只有朋友自己能看到。'],
  declined: ['朋友没有收下这份礼物', '款项会原路退回给你。'],
  canceled: ['这份礼物已取消', '没有送出，也不会扣款。'],
};

/** The giver opening his own claim link: where the gift stands, never "send it to a friend" once a friend has it. */
export function OwnGiftNotice({ gift }: { gift: Pick<ClaimCard, 'id' | 'status'> }) {
  const [title, text] = WORDS[gift.status] ?? ['这是你送出的礼物', ''];
  return (
    <section class="notice" aria-live="polite">
      <h2>{title}</h2>
      {text ? <p>{text}</p> : null}
      <p>
        <a class="button-link" href={`#/sent/${encodeURIComponent(gift.id)}`}>
          查看礼物卡
        </a>
      </p>
    </section>
  );
}
