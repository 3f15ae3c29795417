import { job } from '../../shared/jobs/job';
import { dispatchDueEffects } from '../../shared/use-cases/dispatch-effects';

/** Delivers recorded fulfillment handoffs of accepted gifts, with retries and exponential backoff. */
export default job('dispatch-handoffs', (deps, ctx) =>
  dispatchDueEffects(deps, 'handoff', ctx?.deadline === undefined ? {} : { deadline: ctx.deadline, concurrency: 16 }),
);
