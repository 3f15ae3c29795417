import { MemoryGiftStore } from '../../shared/adapters/memory/memory-gift-store';
import { giftStoreContract } from './gift-store-contract';

giftStoreContract('memory', async () => ({ store: new MemoryGiftStore({ timerShards: 3 }), close: async () => undefined }));
