import type { Gift } from '../domain/gift';
import { sendThanks as thank } from '../domain/gift-transitions';
import type { Deps } from '../ports/deps';
import { runClaimCommand } from './claim-link';

/**
 * The recipient's one thank-you note, after accepting: kept on the gift, and the giver's notice recorded in the same
 * write (dispatched later, once). The same text again is a repeat; another text is refused (THANKS_ALREADY_SENT).
 */
export async function sendThanks(deps: Deps, callerId: string, token: string, message: string, known?: Gift): Promise<Gift> {
  const gift = await runClaimCommand(deps, callerId, token, (g, now) => thank(g, callerId, message, now), known);
  deps.logger.info({ giftId: gift.id }, 'thanks sent');
  return gift;
}
