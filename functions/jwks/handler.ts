import * as contract from '../../shared/http/contract';
import { route } from '../../shared/http/route';
import { requireTokenIssuer } from '../../shared/use-cases/sign-in-with-wechat';

/** GET /.well-known/jwks.json: the public keys of the app's tokens. Short cache: a rotated key shows up soon. */
export default route(contract.jwks, async ({ deps }) => ({
  body: requireTokenIssuer(deps).jwks(),
  headers: { 'Cache-Control': 'public, max-age=300' },
}));
