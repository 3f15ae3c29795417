import { AppError } from '../../shared/domain/errors';
import * as contract from '../../shared/http/contract';
import { route } from '../../shared/http/route';
import { enterOrderLottery } from '../../shared/use-cases/group-claims';
import { claimLinkCard } from '../../shared/use-cases/view-claim';

/** POST /claims/:token/enter (群礼物抽奖): enter the draw once; closed from drawAt on. */
export default route(contract.enterLottery, async ({ deps, callerId, params }) => ({
  body: {
    gift: await claimLinkCard(deps, callerId, params.token, {
      gift: async () => {
        throw new AppError('NOT_RECIPIENT', 'this gift is not a lottery: claim it instead');
      },
      order: (order) => enterOrderLottery(deps, order, callerId),
    }),
  },
}));
