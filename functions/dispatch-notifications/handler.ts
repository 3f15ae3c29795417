import { job } from '../../shared/jobs/job';
import { dispatchDueEffects } from '../../shared/use-cases/dispatch-effects';

/** Delivers recorded notifications to givers, with retries and exponential backoff. */
export default job('dispatch-notifications', (deps, ctx) =>
  dispatchDueEffects(deps, 'notify', ctx?.deadline === undefined ? {} : { deadline: ctx.deadline, concurrency: 16 }),
);
