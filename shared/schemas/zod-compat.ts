/**
 * Classic zod's transform, which zod/mini has no exact equivalent for, rebuilt from its parts so every schema keeps its
 * behaviour and messages (`.meta()`: ./schema-meta.ts). Importing this module also loads zod's English messages (./zod-english).
 */
import * as z from 'zod/mini';
import './zod-english';

/** What a transform may report, as classic zod's transform context offered it. */
export interface TransformContext {
  addIssue(issue: { code: 'custom'; message: string }): void;
}

/**
 * Classic zod's `.transform(fn)`: the schema piped into a transform whose `ctx.addIssue` records a custom issue (zod/mini
 * hands a transform the bare parse payload, without `addIssue`).
 */
export function transformed<S extends z.ZodMiniType, Out>(schema: S, fn: (value: z.output<S>, ctx: TransformContext) => Out) {
  const tx: z.ZodMiniTransform<Awaited<Out>, z.output<S>> = z.transform((value: z.output<S>, payload) =>
    fn(value, { addIssue: (issue) => payload.issues.push({ input: payload.value, inst: tx, ...issue }) }),
  );
  return z.pipe(schema, tx);
}
