import type * as z from 'zod';

/**
 * The only reader of the process environment: empty values count as unset, and every problem is listed in one
 * error naming each setting, so a misconfigured deploy says exactly what to fix.
 */
export function readConfig<S extends z.ZodType>(schema: S, env: Record<string, string | undefined> = process.env): z.output<S> {
  const parsed = schema.safeParse(Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== '')));
  if (!parsed.success) {
    throw new Error(`invalid configuration:\n${parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n')}`);
  }
  return parsed.data;
}
