import { lambdaScheduledHandler } from '../../shared/platform/aws/lambda-schedule';
import { dispatchHandoffsJob } from './handler';

/** AWS Lambda entry (EventBridge schedule). */
export const handler = lambdaScheduledHandler(dispatchHandoffsJob);
