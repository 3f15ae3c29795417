import { lambdaScheduledHandler } from '../../shared/platform/aws/lambda-schedule';
import { sweepGiftsJob } from './handler';

/** AWS Lambda entry (EventBridge schedule). */
export const handler = lambdaScheduledHandler(sweepGiftsJob);
