import type { ClaimCard } from '../api';
import { attrsText } from '../texts';
import { Countdown } from './Countdown';

/**
 * Who reads the giver's message: the recipient, the giver, and anyone while the gift is still open to claim. Once it
 * is claimed by someone else, expired, declined or canceled, a stranger holding the link reads none of it: every
 * closed state treats the message the same way.
 */
export const messageVisible = (g: ClaimCard) => g.viewer !== 'guest' || (g.status === 'sent' && !g.claimedBySomeoneElse);

/** The countdown is for whoever can still act on it: never for a friend the gift was taken from. */
export const countdownVisible = (g: ClaimCard): g is ClaimCard & { expiresAt: string } =>
  g.expiresAt !== null && (g.status === 'sent' || g.status === 'claimed') && !g.claimedBySomeoneElse;

/** The giver's (or the friend's thanks) words as typed: line breaks kept, a long unbroken run wrapped inside the card. */
export const GiftMessage = ({ text, testId }: { text: string; testId?: string }) => (
  <blockquote class="gift-message" data-testid={testId}>
    {text}
  </blockquote>
);

/** The gift behind a claim link (never its price): who sent it, what, which style, the message, the time left. */
export function GiftSummary({ gift: g }: { gift: ClaimCard }) {
  return (
    <section class="card gift-card" aria-label="礼物">
      <p class="muted">{g.viewer === 'giver' ? '你送出的礼物' : `${g.giverName ?? '你的朋友'}送你一份礼物`}</p>
      <strong>{g.product.title}</strong>
      <span data-testid="gift-style">{attrsText(g.sku.attrs)}</span>
      {g.message && messageVisible(g) ? <GiftMessage text={g.message} /> : null}
      {countdownVisible(g) ? <Countdown until={g.expiresAt} label="剩余领取时间" /> : null}
    </section>
  );
}
