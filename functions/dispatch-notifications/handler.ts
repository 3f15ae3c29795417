import { job } from '../../shared/jobs/job';
import { dispatchDueEffects } from '../../shared/use-cases/dispatch-effects';

/** Tells givers what happened to their gifts (claimed, accepted, declined, expired). */
export const dispatchNotificationsJob = job('dispatch-notifications', (deps) => dispatchDueEffects(deps, 'notify'));
