import { job } from '../../shared/jobs/job';
import { sweepOverdueGifts } from '../../shared/use-cases/sweep-overdue-gifts';

/** Scheduled cleanup: expires gifts not accepted within 24 h of sending (refund recorded) and cancels unpaid ones. */
export default job('sweep-gifts', (deps) => sweepOverdueGifts(deps));
