import type { Context, ScheduledEvent } from 'aws-lambda';
import type { Job } from '../../jobs/job';
import type { Deps } from '../../ports/deps';
import { awsDeps } from './aws-deps';

/** The Lambda edge of a scheduled function: an EventBridge "Scheduled Event" runs the job once. */
export function lambdaScheduledHandler<R>(job: Job<R>, deps: () => Promise<Deps> = awsDeps) {
  return async (event: ScheduledEvent, context: Context): Promise<R> => {
    const d = await deps();
    const report = await job.run(d);
    d.logger.info({ job: job.name, scheduledAt: event.time, eventId: event.id, requestId: context.awsRequestId, report }, 'scheduled job finished');
    return report;
  };
}
