import * as contract from '../../shared/http/contract';
import { route } from '../../shared/http/route';
import { sendThanks } from '../../shared/use-cases/send-thanks';
import { claimCardFor } from '../../shared/use-cases/view-claim';

/** POST /claims/:token/thanks: the recipient's one thank-you note (the giver is told). */
export default route(contract.sendThanks, async ({ deps, callerId, params, body }) => ({
  body: { gift: await claimCardFor(deps, await sendThanks(deps, callerId, params.token, body.message), callerId) },
}));
