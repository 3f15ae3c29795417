// First: settings that must hold before any schema is built.
import '../cold-start-settings';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyResultV2, Context } from 'aws-lambda';
import { handle } from 'hono/aws-lambda';
import type { RuntimeFactory } from '../../composition/runtime';
import { createHttpApp } from '../../http/create-http-app';
import type { AnyRoute } from '../../http/route';
import { awsRuntime } from './aws-runtime';
import { jwtAuthorizerIdentity } from './jwt-authorizer-identity';
import { lambdaClientAddress } from './lambda-client-address';

export type HttpApiHandler = (event: APIGatewayProxyEventV2WithJWTAuthorizer, context: Context) => Promise<APIGatewayProxyResultV2>;

/**
 * The Lambda edge of an HTTP function: API Gateway HTTP API (payload v2) in, the same Hono app the local server runs
 * (with only this function's routes), the response out. Identity comes from the JWT authorizer, the client's address
 * from API Gateway's sourceIp.
 */
export function lambdaHttpHandler(routes: readonly AnyRoute[], runtime: RuntimeFactory = awsRuntime): HttpApiHandler {
  let handler: ReturnType<typeof handle> | null = null;
  return async (event, context) => {
    if (!handler) {
      const { deps, callbackSecret } = await runtime();
      handler = handle(
        createHttpApp({ deps, identity: jwtAuthorizerIdentity, clientAddress: lambdaClientAddress, routes, callbackSecret }),
      );
    }
    return handler(event as never, context as never);
  };
}
