import * as contract from '../../shared/http/contract';
import { route } from '../../shared/http/route';
import { setDisplayName } from '../../shared/use-cases/profile';

/** PUT /me: sets the display name gifts created from now on carry. */
export default route(contract.setProfile, async ({ deps, callerId, body }) => {
  const { displayName } = await setDisplayName(deps, callerId, body.displayName);
  return { body: { profile: { displayName } } };
});
