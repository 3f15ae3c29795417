import { describe, expect, it } from 'vitest';
import { createLogger, redactSecrets } from '../../shared/adapters/system/pino-logger';

/** A logger writing into an array, one parsed object per line. */
function capturedLogger(level = 'info') {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger({ level, destination: { write: (chunk: string) => void lines.push(JSON.parse(chunk)) } });
  return { logger, lines };
}

describe('log redaction (a formatter instead of pino redact paths)', () => {
  it('censors secret keys at the top, one and two levels down, in arrays too, and nothing deeper or elsewhere', () => {
    const { logger, lines } = capturedLogger();
    logger.info(
      {
        token: 'tok',
        route: '/claims/:token',
        gift: { id: 'g_1', address: { name: '司马小蓟', phone: '13800138000' }, message: 'hi' },
        list: [{ phone: '1', ok: true }],
        deep: { a: { b: { phone: 'kept: below the two levels pino was told to look' } } },
      },
      'x',
    );
    expect(lines[0]).toMatchObject({
      token: '[redacted]',
      route: '/claims/:token',
      gift: { id: 'g_1', address: '[redacted]', message: 'hi' },
      list: [{ phone: '[redacted]', ok: true }],
      deep: { a: { b: { phone: 'kept: below the two levels pino was told to look' } } },
      msg: 'x',
    });
  });

  it("never changes the caller's object, copes with frozen objects, and keeps an Error's message and stack", () => {
    const { logger, lines } = capturedLogger();
    const err = new Error('boom');
    err.name = 'EdgeError'; // an own, enumerable key named like a secret one, as pino's `*.name` path treated it
    const fields = Object.freeze({ gift: Object.freeze({ detail: 'street', id: 'g_2' }), err });
    logger.warn(fields, 'y');
    expect(fields.gift.detail).toBe('street');
    expect(err.name).toBe('EdgeError');
    expect(lines[0]).toMatchObject({ gift: { detail: '[redacted]', id: 'g_2' }, err: { message: 'boom', name: '[redacted]' } });
    expect(String((lines[0]!.err as { stack: string }).stack)).toContain('boom');
  });

  it("censors a child's bindings (written on each of its lines) and a grandchild's", () => {
    const { logger, lines } = capturedLogger();
    logger.child({ claimToken: 'g_1.secret', giftId: 'g_1' }).child({ authorization: 'Bearer x' }).info({ step: 1 }, 'z');
    expect(lines[0]).toMatchObject({ claimToken: '[redacted]', giftId: 'g_1', authorization: '[redacted]', step: 1 });
    expect(JSON.stringify(lines[0])).not.toMatch(/secret|Bearer/);
  });

  it('hands back the very object when there is nothing to censor (no copy for an ordinary line)', () => {
    const line = { method: 'GET', route: '/claims/:token', status: 200, ms: 1, nested: { a: [1, 2] } };
    expect(redactSecrets(line)).toBe(line);
  });
});
