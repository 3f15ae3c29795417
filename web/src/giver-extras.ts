/**
 * What issue 12's API adds to the giver's side (api12 branch): the display name (GET/PUT /me), the name snapshot and
 * the recipient's thanks on a gift, and POST /gifts/:id/cancel. Typed here, to the shapes agreed in the plan, until
 * the contract has them; then these become `ResponseOf<…>` and the fields plain.
 */
import { api, type GiverGift, type GiverGiftWithLink } from './api';

export interface Thanks {
  message: string;
  sentAt: string;
}
/** A giver's gift with the fields api12 adds (optional here, so this compiles before and after the merge). */
export type WithGiverExtras<T extends GiverGift> = T & { giverName?: string | null; thanks?: Thanks | null };

export interface ProfileBody {
  profile: { displayName: string | null };
}
export const DISPLAY_NAME_MAX = 20;

export const getMe = () => api<ProfileBody>('GET', '/me');
export const putMe = (displayName: string) => api<ProfileBody>('PUT', '/me', { displayName });
/** 409 GIFT_ALREADY_PAID once paid; canceling a canceled gift answers it again. */
export const cancelGift = (id: string) => api<{ gift: GiverGiftWithLink }>('POST', `/gifts/${encodeURIComponent(id)}/cancel`);
