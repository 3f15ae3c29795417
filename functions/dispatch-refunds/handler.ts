import { job } from '../../shared/jobs/job';
import { dispatchDueEffects } from '../../shared/use-cases/dispatch-effects';

/** Delivers recorded refunds to the giver's payment provider, with retries and exponential backoff. */
export default job('dispatch-refunds', (deps, ctx) =>
  dispatchDueEffects(deps, 'refund', ctx?.deadline === undefined ? {} : { deadline: ctx.deadline, concurrency: 16 }),
);
