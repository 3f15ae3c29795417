import { lambdaHttpHandler } from '../../shared/platform/aws/lambda-http';
import { reissueClaimLinkRoute } from './handler';

/** AWS Lambda entry (API Gateway HTTP API). */
export const handler = lambdaHttpHandler([reissueClaimLinkRoute]);
