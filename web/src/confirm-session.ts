/**
 * One 确认礼物 visit per product, kept in sessionStorage (this tab, survives a reload and the back button): its
 * Idempotency-Key, the gift it created, and what was typed. Going back to a paid confirm finds the gift instead of an
 * empty form, and a retry after a lost answer sends the same key, so the server answers with the same gift.
 */
import { currentSession } from './session';

export interface ConfirmVisit {
  /** The Idempotency-Key of POST /gifts for this visit. */
  key: string;
  /** The gift this visit created, once the server said so. */
  giftId: string | null;
  skuId: string | null;
  message: string;
  /** A display name typed here before the first gift (saved with PUT /me when paying). */
  name: string;
  /** 送给一位朋友 (single, the default), 群发礼物 (group) or 群礼物抽奖 (lottery); with the units and the draw time. */
  mode?: 'single' | 'group' | 'lottery';
  quantity?: number;
  /** The draw time as the picker shows it (the phone's local 'YYYY-MM-DDTHH:mm'), so a retry sends the same drawAt. */
  drawAtLocal?: string;
}

const storageKey = (productId: string) => `songli.confirm.${currentSession()?.userId ?? ''}.${productId}`;
const fresh = (keep: Partial<ConfirmVisit> = {}): ConfirmVisit => ({
  skuId: null,
  message: '',
  name: '',
  ...keep,
  key: crypto.randomUUID(),
  giftId: null,
});

export function readConfirmVisit(productId: string): ConfirmVisit {
  try {
    const saved = JSON.parse(sessionStorage.getItem(storageKey(productId)) ?? 'null') as ConfirmVisit | null;
    if (saved && typeof saved.key === 'string') return saved;
  } catch {
    // unreadable: start over
  }
  return writeConfirmVisit(productId, fresh());
}

export function writeConfirmVisit(productId: string, visit: ConfirmVisit): ConfirmVisit {
  sessionStorage.setItem(storageKey(productId), JSON.stringify(visit));
  return visit;
}

/** A new visit (a new key, no gift), keeping what `keep` names, e.g. the typed choices when the old order was canceled. */
export const restartConfirmVisit = (productId: string, keep: Partial<ConfirmVisit> = {}) => writeConfirmVisit(productId, fresh(keep));

/**
 * 送给朋友 on the product page starts a new visit once the last one made a gift (a new gift is meant); a draft that
 * made none is kept, with its key, so what was typed is still there.
 */
export function enterConfirmVisit(productId: string): void {
  const visit = readConfirmVisit(productId);
  if (visit.giftId) restartConfirmVisit(productId);
}
