/**
 * The OpenAPI document (derived from the operations and their zod schemas) passes Redocly's recommended rules, the
 * public one and the local server's (with the dev routes), and describes every success response with its schema.
 */
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import type { Operation } from '../../shared/http/contract';
import { openApiDocument } from '../../shared/http/openapi';
import { operations } from '../../shared/http/operations';
import { tempDataDir } from '../support/http-harness';

const tmp = tempDataDir();
afterAll(() => tmp.remove());
const ROOT = join(import.meta.dirname, '..', '..');

async function lint(
  document: object,
): Promise<{ totals: { errors: number; warnings: number }; problems: Array<{ ruleId: string; message: string }> }> {
  const file = join(tmp.dir, `openapi-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, JSON.stringify(document));
  const run = await promisify(execFile)(join(ROOT, 'node_modules', '.bin', 'redocly'), ['lint', file, '--format=json'], {
    cwd: tmp.dir,
    env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true', NO_COLOR: '1' },
    timeout: 60_000,
  }).catch((e: { stdout?: string }) => ({ stdout: e.stdout ?? '' }));
  return JSON.parse(run.stdout.slice(run.stdout.indexOf('{')));
}

describe('the OpenAPI document', () => {
  it.each([
    ['public', openApiDocument()],
    ['local, with the dev routes', openApiDocument({ includeDev: true })],
  ])(
    '%s passes `redocly lint` with its recommended rules: no errors, no warnings',
    async (_what, document) => {
      const result = await lint(document);
      expect(result.problems.map((p) => `${p.ruleId}: ${p.message}`)).toEqual([]);
      expect(result.totals).toMatchObject({ errors: 0, warnings: 0 });
    },
    90_000,
  );

  it('describes every success response with a schema of its own, not a bare object', () => {
    const doc = openApiDocument({ includeDev: true });
    for (const [path, methods] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(methods as Record<string, { responses: Record<string, any> }>)) {
        const success = Object.entries(op.responses).find(([status]) => status.startsWith('2'))!;
        if (success[0] === '204') {
          expect(success[1].content, `${method} ${path}: a 204 has no body`).toBeUndefined();
          continue;
        }
        const schema = success[1].content['application/json'].schema;
        const shapes = schema.anyOf ?? [schema];
        for (const shape of shapes) {
          const described = Object.keys(shape.properties ?? {}).length > 0 || typeof shape.additionalProperties === 'object';
          expect(described, `${method} ${path}: ${JSON.stringify(shape).slice(0, 80)}`).toBe(true);
        }
      }
    }
  });

  it('documents a body as optional exactly where the operation says so, and such a body reads an empty one ({}))', () => {
    const doc = openApiDocument({ includeDev: true });
    for (const op of Object.values(operations) as Operation[]) {
      if (!op.body) continue;
      const path = op.path.replace(/:(\w+)/g, '{$1}');
      const documented = (doc.paths as Record<string, Record<string, { requestBody: { required: boolean } }>>)[path]![op.method]!;
      const optional = op.bodyOptional === true;
      expect(documented.requestBody.required, op.id).toBe(!optional);
      // The edge reads a missing body as {}: an optional body's schema must take it.
      if (optional) expect(op.body.safeParse({}).success, op.id).toBe(true);
    }
    expect(operations.acceptGift).toMatchObject({ bodyOptional: true });
  });
});
