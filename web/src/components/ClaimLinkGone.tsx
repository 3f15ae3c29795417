import { pageHref } from '../claim-link';
import { NotFound } from './NotFound';

/** A claim link that leads nowhere (mistyped, replaced by a new one, or never real): say so, and what to do. */
export const ClaimLinkGone = () => (
  <NotFound title="礼物不存在或链接已失效" backHref={pageHref('/')} backLabel="去看看其他好物">
    <p>请向送礼的朋友要一个新的链接。</p>
  </NotFound>
);
