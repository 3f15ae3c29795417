import { jsonOfView } from '../use-cases/serialized-views';

/**
 * JSON.stringify(body) when it is `{ <name>: <view> }` and the view's JSON is already written
 * (shared/use-cases/serialized-views.ts); else undefined, and the body is serialized as usual.
 */
export function knownBodyJson(body: object): string | undefined {
  if (Object.getPrototypeOf(body) !== Object.prototype) return undefined;
  const keys = Object.keys(body);
  if (keys.length !== 1) return undefined;
  const json = jsonOfView((body as Record<string, unknown>)[keys[0]!]);
  return json === undefined ? undefined : `{${JSON.stringify(keys[0])}:${json}}`;
}
