import { describe, expect, it } from 'vitest';
import { nanoidIds } from '../../shared/adapters/system/nanoid-ids';
import { CLAIM_SECRET_LENGTH, composeClaimToken, giftIdOfToken, hashClaimToken } from '../../shared/domain/claim-token';
import { createGift } from '../../shared/use-cases/create-gift';
import { payGift } from '../../shared/use-cases/pay-gift';
import { makeDeps } from '../support/memory-deps';

const URL_SAFE = /^[A-Za-z0-9_-]+$/;

describe('claim secrets', () => {
  it('carry at least 128 random bits (32 URL-safe characters × 6 bits = 192)', () => {
    const s = nanoidIds.claimSecret();
    expect(CLAIM_SECRET_LENGTH).toBe(32);
    expect(s).toHaveLength(32);
    expect(s).toMatch(URL_SAFE);
    expect(s.length * Math.log2(64)).toBeGreaterThanOrEqual(128);
  });

  it('are random: 2,000 secrets are all distinct and use a wide alphabet', () => {
    const secrets = Array.from({ length: 2_000 }, () => nanoidIds.claimSecret());
    expect(new Set(secrets).size).toBe(2_000);
    const alphabet = new Set(secrets.join(''));
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
  it('payGift returns the token once; the stored gift holds its SHA-256 and not the secret', async () => {
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
