import { lambdaHttpHandler } from '../../shared/platform/aws/lambda-http';
import { swapVariantRoute } from './handler';

/** AWS Lambda entry (API Gateway HTTP API). */
export const handler = lambdaHttpHandler([swapVariantRoute]);
