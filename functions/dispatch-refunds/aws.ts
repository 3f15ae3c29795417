import { lambdaScheduledHandler } from '../../shared/platform/aws/lambda-schedule';
import { dispatchRefundsJob } from './handler';

/** AWS Lambda entry (EventBridge schedule). */
export const handler = lambdaScheduledHandler(dispatchRefundsJob);
