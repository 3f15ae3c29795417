/**
 * What the gift store holds: a 1:1 gift, or a group order (群发礼物 / 群礼物抽奖, group-order.ts). Both are found the same
 * ways (id = out_trade_no, the claim link, the giver's list, the timer index), so they share one table or collection;
 * the order's `kind` tells them apart (a 1:1 gift has none: documents written before group orders stay as they are).
 */
import type { Gift } from './gift';
import type { GroupOrder } from './group-order';

export type GiftDocument = Gift | GroupOrder;

export const isGroupOrder = (doc: GiftDocument): doc is GroupOrder => (doc as GroupOrder).kind === 'group_order';
