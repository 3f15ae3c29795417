import * as contract from '../../shared/http/contract';
import { route } from '../../shared/http/route';
import { listReceivedGifts, listSentGifts } from '../../shared/use-cases/list-gifts';

/** GET /gifts?role=sent|received: 我送出的 / 我收到的, newest first, paged by a cursor bound to the caller and list. */
export default route(contract.listGifts, async ({ deps, callerId, query }) => {
  if (query.role === 'sent') {
    const page = await listSentGifts(deps, callerId, query.limit, query.cursor);
    return { body: { gifts: page.items, cursor: page.cursor } };
  }
  const page = await listReceivedGifts(deps, callerId, query.limit, query.cursor);
  return { body: { gifts: page.items, cursor: page.cursor } };
});
