// First: settings that must hold before any schema is built.
import '../cold-start-settings';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyResultV2, Context } from 'aws-lambda';
import type { RuntimeFactory } from '../../composition/runtime';
import { createHttpApp } from '../../http/create-http-app';
import type { AnyRoute } from '../../http/route';
import { invalidRequestResponse, toLightRequest, toResult } from './api-gateway-v2';
import { awsRuntime } from './aws-runtime';
import { jwtAuthorizerIdentity } from './jwt-authorizer-identity';
import { lambdaClientAddress } from './lambda-client-address';
import { installLightFetchClasses } from './light-fetch/install-light-fetch';

export type HttpApiHandler = (event: APIGatewayProxyEventV2WithJWTAuthorizer, context: Context) => Promise<APIGatewayProxyResultV2>;

/**
 * The Lambda edge of an HTTP function: API Gateway HTTP API (payload v2) in, the same Hono app the local server runs
 * (with only this function's routes), the response out. Identity comes from the JWT authorizer, the client's address
 * from API Gateway's sourceIp. Events become light Request objects and Hono builds light Responses (light-fetch/):
 * Node 20 would otherwise load undici, its fetch implementation, on the first call (~20 ms of a cold start).
 * api-gateway-v2.ts does what `hono/aws-lambda`'s handle() did, with the same results (compared in tests).
 */
export function lambdaHttpHandler(routes: readonly AnyRoute[], runtime: RuntimeFactory = awsRuntime): HttpApiHandler {
  installLightFetchClasses();
  let app: ReturnType<typeof createHttpApp> | null = null;
  return async (event, context) => {
    if (!app) {
      const { deps, callbackSecret } = await runtime();
      app = createHttpApp({ deps, identity: jwtAuthorizerIdentity, clientAddress: lambdaClientAddress, routes, callbackSecret });
    }
    let request: ReturnType<typeof toLightRequest>;
    try {
      request = toLightRequest(event);
    } catch (error) {
      console.error('Error processing request:', error);
      return toResult(invalidRequestResponse(error));
    }
    // The env Hono's adapter passed: routes read the event (JWT claims, sourceIp) from it.
    const res = await app.fetch(request as unknown as Request, { event, requestContext: event.requestContext, lambdaContext: context });
    return toResult(res);
  };
}
