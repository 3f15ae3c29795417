import * as contract from '../../shared/http/contract';
import { route } from '../../shared/http/route';
import { viewDraw } from '../../shared/use-cases/view-draw';

/** GET /claims/:token/draw (群礼物抽奖): the published draw, for anyone holding the link to check. */
export default route(contract.viewDraw, async ({ deps, callerId, params }) => ({
  body: { draw: await viewDraw(deps, callerId, params.token) },
}));
