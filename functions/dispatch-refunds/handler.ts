import { job } from '../../shared/jobs/job';
import { dispatchDueEffects } from '../../shared/use-cases/dispatch-effects';

/** Makes recorded refunds (declined, expired, canceled gifts) to the giver's original payment, once each. */
export const dispatchRefundsJob = job('dispatch-refunds', (deps) => dispatchDueEffects(deps, 'refund'));
