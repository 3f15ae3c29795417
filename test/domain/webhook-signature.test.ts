import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signWebhook, verifyWebhook } from '../../shared/domain/webhook-signature';

const SECRET = 'whsec_test_0123456789';
const NOW = Date.parse('2026-11-24T08:00:00.000Z') / 1000;
const BODY = JSON.stringify({
  type: 'gift.accepted',
  idempotencyKey: 'songli:g_1:handoff',
  data: { openid: 'bob', present_note: '生日快乐' },
});

describe('signWebhook', () => {
  it('is v1=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>', () => {
    const expected = createHmac('sha256', SECRET).update(`${NOW}.${BODY}`).digest('hex');
    expect(signWebhook(SECRET, NOW, BODY)).toBe(`v1=${expected}`);
    expect(signWebhook(SECRET, NOW, BODY)).toMatch(/^v1=[0-9a-f]{64}$/);
  });
});

describe('verifyWebhook', () => {
  const headers = (signature: string | null | undefined, timestamp: string | null | undefined) => ({ signature, timestamp });

  it('accepts what signWebhook produced (roundtrip)', () => {
    expect(verifyWebhook(SECRET, headers(signWebhook(SECRET, NOW, BODY), String(NOW)), BODY, NOW)).toBe('ok');
  });

  it('accepts a timestamp exactly at the edge of the 5-minute window', () => {
    expect(verifyWebhook(SECRET, headers(signWebhook(SECRET, NOW, BODY), String(NOW)), BODY, NOW + 300)).toBe('ok');
  });

  it('rejects a tampered body', () => {
    const sig = signWebhook(SECRET, NOW, BODY);
    expect(verifyWebhook(SECRET, headers(sig, String(NOW)), BODY.replace('bob', 'eve'), NOW)).toBe('bad_signature');
  });

  it('rejects a signature made with another secret', () => {
    expect(verifyWebhook(SECRET, headers(signWebhook('other', NOW, BODY), String(NOW)), BODY, NOW)).toBe('bad_signature');
  });

  it('rejects a changed timestamp header', () => {
    expect(verifyWebhook(SECRET, headers(signWebhook(SECRET, NOW, BODY), String(NOW + 1)), BODY, NOW)).toBe('bad_signature');
  });

  it('rejects a stale timestamp (more than 300 s old or ahead)', () => {
    const sig = signWebhook(SECRET, NOW, BODY);
    expect(verifyWebhook(SECRET, headers(sig, String(NOW)), BODY, NOW + 301)).toBe('stale');
    expect(verifyWebhook(SECRET, headers(sig, String(NOW)), BODY, NOW - 301)).toBe('stale');
  });

  it('honours a custom tolerance', () => {
    const sig = signWebhook(SECRET, NOW, BODY);
    expect(verifyWebhook(SECRET, headers(sig, String(NOW)), BODY, NOW + 61, 60)).toBe('stale');
  });

  it.each([
    ['no signature', undefined, String(NOW)],
    ['null signature', null, String(NOW)],
    ['empty signature', '', String(NOW)],
    ['no timestamp', 'v1=abc', undefined],
    ['non-numeric timestamp', 'v1=abc', '12abc'],
  ])('reports missing for %s', (_label, signature, timestamp) => {
    expect(verifyWebhook(SECRET, headers(signature, timestamp), BODY, NOW)).toBe('missing');
  });
});
