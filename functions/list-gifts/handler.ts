import * as contract from '../../shared/http/contract';
import { route } from '../../shared/http/route';
import { listReceivedGifts, listSentGifts } from '../../shared/use-cases/list-gifts';

/** GET /gifts?role=sent|received: 我送出的 / 我收到的, newest first, paged by cursor. */
export const listGiftsRoute = route(contract.listGifts, async ({ deps, callerId, query }) => {
  const page =
    query.role === 'sent' ? await listSentGifts(deps, callerId, query.limit, query.cursor) : await listReceivedGifts(deps, callerId, query.limit, query.cursor);
  return { body: { gifts: page.items, cursor: page.cursor } };
});
