import { describe, expect, it } from 'vitest';
import { charCount } from '../../shared/schemas/common';
import { CreateGiftBody, IdempotencyKey, MESSAGE_MAX_CHARS } from '../../shared/schemas/create-gift';

const parse = (message: unknown) => CreateGiftBody.safeParse({ skuId: 'sku_scarf_blue', message });
const issuePaths = (r: ReturnType<typeof parse>) => r.error!.issues.map((i) => i.path.join('.'));

describe('CreateGiftBody message', () => {
  it('the limit is 100 characters', () => {
    expect(MESSAGE_MAX_CHARS).toBe(100);
  });

  it.each([
    ['ASCII', 'a'],
    ['CJK', '祝'],
    ['emoji (astral, 2 UTF-16 units)', '🎁'],
  ])('accepts exactly 100 %s characters and keeps them', (_label, ch) => {
    const message = ch.repeat(100);
    expect(charCount(message)).toBe(100);
    const r = parse(message);
    expect(r.success).toBe(true);
    expect(r.data!.message).toBe(message);
  });

  it.each([
    ['ASCII', 'a'],
    ['CJK', '祝'],
    ['emoji', '🎁'],
  ])('rejects 101 %s characters', (_label, ch) => {
    const r = parse(ch.repeat(101));
    expect(r.success).toBe(false);
    expect(issuePaths(r)).toEqual(['message']);
  });

  it('counts emoji as one character each: 100 emoji are 200 UTF-16 units but accepted', () => {
    const message = '😀'.repeat(100);
    expect(message.length).toBe(200);
    expect(parse(message).success).toBe(true);
  });

  it('accepts a mixed 100-character message', () => {
    const message = '生日快乐🎂'.repeat(20);
    expect(charCount(message)).toBe(100);
    expect(parse(message).data!.message).toBe(message);
  });

  it('trims before counting', () => {
    const r = parse(`  ${'祝'.repeat(100)}  `);
    expect(r.success).toBe(true);
    expect(r.data!.message).toBe('祝'.repeat(100));
  });

  it.each([[undefined], [null], [''], ['   ']])('turns %j into a null message', (message) => {
    const r = parse(message);
    expect(r.success).toBe(true);
    expect(r.data!.message).toBeNull();
  });

  it('keeps newlines but rejects other control characters', () => {
    expect(parse('第一行\n第二行').data!.message).toBe('第一行\n第二行');
    expect(issuePaths(parse('bell\u0007'))).toEqual(['message']);
  });

  it('rejects a non-string message', () => {
    expect(parse(42).success).toBe(false);
  });
});

describe('CreateGiftBody skuId and shape', () => {
  it('requires a skuId', () => {
    const r = CreateGiftBody.safeParse({ message: 'hi' });
    expect(r.success).toBe(false);
    expect(issuePaths(r)).toEqual(['skuId']);
  });

  it.each([[''], ['sku with space'], ['s'.repeat(65)]])('rejects skuId %j', (skuId) => {
    expect(CreateGiftBody.safeParse({ skuId }).success).toBe(false);
  });

  it('rejects unknown extra fields (strict object)', () => {
    const r = CreateGiftBody.safeParse({ skuId: 'sku_scarf_blue', priceFen: 1 });
    expect(r.success).toBe(false);
    expect(r.error!.issues[0]!.code).toBe('unrecognized_keys');
  });
});

describe('IdempotencyKey', () => {
  it('accepts 8 to 128 printable ASCII characters', () => {
    expect(IdempotencyKey.safeParse('abcdefgh').success).toBe(true);
    expect(IdempotencyKey.safeParse('k'.repeat(128)).success).toBe(true);
  });

  it.each([['short'], ['k'.repeat(129)], ['has space'], ['中文中文中文中文']])('rejects %j', (key) => {
    expect(IdempotencyKey.safeParse(key).success).toBe(false);
  });
});
