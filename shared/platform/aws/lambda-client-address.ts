import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { ClientAddressResolver } from '../../http/client-address';

/** API Gateway's own record of the TCP peer (requestContext.http.sourceIp), which a client cannot set by a header. */
export const lambdaClientAddress: ClientAddressResolver = (c) => {
  const event = (c.env as { event?: APIGatewayProxyEventV2 } | undefined)?.event;
  return event?.requestContext?.http?.sourceIp ?? null;
};
