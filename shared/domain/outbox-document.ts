import type { GiftDocument } from './gift-document';
import type { GroupUnit } from './group-units';

/** A document with an outbox as the stores hold it: a gift or group order (gift store), or a unit (group store). */
export type OutboxDocument = GiftDocument | GroupUnit;

export const isGroupUnit = (doc: OutboxDocument): doc is GroupUnit => typeof (doc as GroupUnit).unitNo === 'number';
