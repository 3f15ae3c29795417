/** createGift with an Idempotency-Key: the conditional insert is the check, so a first call reads no gift. */
import { describe, expect, it } from 'vitest';
import { AppError } from '../../shared/domain/errors';
import { createGift } from '../../shared/use-cases/create-gift';
import { GIVER, makeDeps } from '../support/memory-deps';

const body = { skuId: 'sku_scarf_blue', message: '节日快乐' };

function countingGets() {
  const deps = makeDeps();
  let gets = 0;
  const get = deps.store.get.bind(deps.store);
  deps.store.get = (id: string) => {
    gets++;
    return get(id);
  };
  return { deps, gets: () => gets };
}

describe('createGift with an Idempotency-Key', () => {
  it('inserts without reading first; a retry reads the gift the first call created', async () => {
    const { deps, gets } = countingGets();
    const first = await createGift(deps, { giverId: GIVER, body, idempotencyKey: 'key-0000000001' });
    expect(first.replayed).toBe(false);
    expect(gets()).toBe(0);
    const again = await createGift(deps, { giverId: GIVER, body, idempotencyKey: 'key-0000000001' });
    expect(again).toEqual({ gift: first.gift, replayed: true, payment: null });
    expect(gets()).toBe(1);
  });

  it('replays the first gift even when the style sold out since, and rejects a new key then', async () => {
    const { deps } = countingGets();
    const first = await createGift(deps, { giverId: GIVER, body, idempotencyKey: 'key-0000000002' });
    deps.catalog.setStock('sku_scarf_blue', 0);
    expect(await createGift(deps, { giverId: GIVER, body, idempotencyKey: 'key-0000000002' })).toEqual({
      gift: first.gift,
      replayed: true,
      payment: null, // the dev provider: no order is opened with the gift
    });
    await expect(createGift(deps, { giverId: GIVER, body, idempotencyKey: 'key-0000000003' })).rejects.toMatchObject({
      code: 'OUT_OF_STOCK',
    });
  });

  it('rejects the same key with another body', async () => {
    const { deps } = countingGets();
    await createGift(deps, { giverId: GIVER, body, idempotencyKey: 'key-0000000004' });
    const other = createGift(deps, { giverId: GIVER, body: { ...body, message: '别的' }, idempotencyKey: 'key-0000000004' });
    await expect(other).rejects.toBeInstanceOf(AppError);
    await expect(other).rejects.toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });
  });
});
