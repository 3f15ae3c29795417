import * as z from 'zod/mini';

/**
 * Classic zod's `.meta(data)`: a copy of the schema with `data` (a description) registered for the OpenAPI document.
 * zod/mini's `z.meta()` check would register the schema itself, with an extra check in its definition. Only the
 * OpenAPI document reads the registry, so deploy bundles take the schema as it is (build/esbuild-plugins.cjs): the
 * same parse, without zod's registry or a copy of each described schema at load.
 */
export function withMeta<S extends z.ZodMiniType>(schema: S, meta: { description: string }): S {
  const copy = schema.clone();
  z.globalRegistry.add(copy, meta);
  return copy;
}
