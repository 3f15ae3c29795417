import { changeConsumer } from '../../shared/jobs/change-consumer';
import { dispatchEffectsOf } from '../../shared/use-cases/dispatch-effects';

/** Delivers the effects a write just recorded (every kind), from the tables' change streams: seconds, not a minute. */
export default changeConsumer('dispatch-stream', (deps, doc) => dispatchEffectsOf(deps, doc));
