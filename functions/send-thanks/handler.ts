import { AppError } from '../../shared/domain/errors';
import * as contract from '../../shared/http/contract';
import { route } from '../../shared/http/route';
import { sendThanks } from '../../shared/use-cases/send-thanks';
import { claimLinkCard } from '../../shared/use-cases/view-claim';

/** POST /claims/:token/thanks: the recipient's one thank-you note (the giver is told); 1:1 gifts only, for now. */
export default route(contract.sendThanks, async ({ deps, callerId, params, body }) => ({
  body: {
    gift: await claimLinkCard(deps, callerId, params.token, {
      gift: (found) => sendThanks(deps, callerId, params.token, body.message, found),
      order: async () => {
        throw new AppError('NOT_RECIPIENT', 'thank-you notes are for gifts sent to one friend');
      },
    }),
  },
}));
