import { iso } from '../../shared/domain/time';
import * as contract from '../../shared/http/contract';
import { parseWith } from '../../shared/http/read-input';
import { route } from '../../shared/http/route';
import { IdempotencyKey } from '../../shared/schemas/create-gift';
import { createGift } from '../../shared/use-cases/create-gift';
import { giverViewOf } from '../../shared/use-cases/giver-gift';

/** POST /gifts (送给朋友), retry-safe with an Idempotency-Key header. */
export default route(contract.createGift, async ({ c, deps, callerId, body }) => {
  const header = c.req.header('idempotency-key');
  const idempotencyKey = header === undefined ? undefined : parseWith(IdempotencyKey, header, 'Idempotency-Key header');
  const { gift, replayed, payment } = await createGift(deps, { giverId: callerId, body, idempotencyKey });
  return {
    body: { gift: await giverViewOf(deps, gift, iso(deps.clock.now())), payment },
    headers: replayed ? { 'idempotent-replayed': 'true' } : undefined,
  };
});
