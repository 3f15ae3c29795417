import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hmacClaimLinks } from '../../shared/adapters/system/hmac-claim-links';
import { CLAIM_SECRET_LENGTH, composeClaimToken, giftIdOfToken, hashClaimToken } from '../../shared/domain/claim-token';
import { createGift } from '../../shared/use-cases/create-gift';
import { payGift } from '../../shared/use-cases/pay-gift';
import { makeDeps } from '../support/memory-deps';

const URL_SAFE = /^[A-Za-z0-9_-]+$/;

describe('derived claim links', () => {
  const links = hmacClaimLinks('k'.repeat(40));

  it('carry 192 bits: 32 URL-safe characters of an HMAC-SHA256, after the gift id', () => {
    const token = links.tokenFor('g_abcdef', 1);
    const secret = token.slice('g_abcdef.'.length);
    expect(CLAIM_SECRET_LENGTH).toBe(32);
    expect(secret).toHaveLength(32);
    expect(secret).toMatch(URL_SAFE);
    expect(secret.length * Math.log2(64)).toBeGreaterThanOrEqual(128);
    expect(giftIdOfToken(token)).toBe('g_abcdef');
  });

  it('are the same for the same gift and version, and differ for another version, gift or key', () => {
    expect(links.tokenFor('g_abcdef', 1)).toBe(hmacClaimLinks('k'.repeat(40)).tokenFor('g_abcdef', 1));
    const all = new Set<string>();
    for (let v = 1; v <= 1_000; v++) all.add(links.tokenFor('g_abcdef', v));
    for (let i = 0; i < 1_000; i++) all.add(links.tokenFor(`g_gift${i}`, 1));
    expect(all.size).toBe(2_000);
    expect(hmacClaimLinks('j'.repeat(40)).tokenFor('g_abcdef', 1)).not.toBe(links.tokenFor('g_abcdef', 1));
    const alphabet = new Set([...all].map((t) => t.split('.')[1]).join(''));
    expect(alphabet.size).toBeGreaterThanOrEqual(60);
  });
});

describe('token format', () => {
  const secret = 'x'.repeat(32);

  it('is <giftId>.<secret> and yields the gift id back', () => {
    const token = composeClaimToken('g_abcdef', secret);
    expect(token).toBe(`g_abcdef.${secret}`);
    expect(giftIdOfToken(token)).toBe('g_abcdef');
  });

  it.each([[`g_abcdef.${'x'.repeat(31)}`], ['g_abcdef'], [`g_abcdef.${'x'.repeat(31)}!`], [`ab.${'x'.repeat(32)}`], ['']])(
    'treats %j as malformed',
    (token) => {
      expect(giftIdOfToken(token)).toBeNull();
    },
  );
});

describe('hash and match', () => {
  const token = composeClaimToken('g_abcdef', 'S'.repeat(32));

  it('hashes with SHA-256 (64 hex characters) and never returns the token', () => {
    const h = hashClaimToken(token);
    expect(h).toMatch(/^[0-9a-f]{64}$/);
    expect(h).not.toContain('SSSS');
    expect(h).toBe(hashClaimToken(token));
  });
});

describe('only the hash is stored', () => {
  it('payGift returns the live token; the stored gift holds its SHA-256, not the token or its secret', async () => {
    const deps = makeDeps();
    const { gift } = await createGift(deps, { giverId: 'alice', body: { skuId: 'sku_scarf_blue', message: null } });
    const { claimToken } = await payGift(deps, 'alice', gift.id);
    expect(claimToken).not.toBeNull();
    const secret = claimToken!.slice(gift.id.length + 1);
    expect(claimToken).toBe(`${gift.id}.${secret}`);
    expect(secret).toHaveLength(32);
    const stored = await deps.store.get(gift.id);
    expect(stored!.claimTokenHash).toBe(hashClaimToken(claimToken!));
    const json = JSON.stringify(stored);
    expect(json).not.toContain(secret);
    expect(json).not.toContain(claimToken!);
  });
});

describe('hashClaimToken', () => {
  it('is the SHA-256 of the token in hex, whatever was hashed just before (the last answer is kept)', () => {
    const sha = (s: string) => createHash('sha256').update(s).digest('hex');
    const a = composeClaimToken('g_aaaaaaaaaaaa', 'A'.repeat(CLAIM_SECRET_LENGTH));
    const b = composeClaimToken('g_bbbbbbbbbbbb', 'B'.repeat(CLAIM_SECRET_LENGTH));
    for (const token of [a, a, b, a, '', b, b, '']) expect(hashClaimToken(token)).toBe(sha(token));
  });
});
