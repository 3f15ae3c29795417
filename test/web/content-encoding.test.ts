import { describe, expect, it } from 'vitest';
import { chooseEncoding } from '../../local/web/content-encoding';

describe('chooseEncoding (Accept-Encoding, RFC 9110 §12.5.3)', () => {
  it.each([
    [undefined, null],
    ['', null],
    ['identity', null],
    ['gzip', 'gzip'],
    ['br', 'br'],
    ['gzip, deflate, br, zstd', 'br'], // Chromium's header: brotli preferred on a tie
    ['GZIP, BR', 'br'],
    ['br;q=0, gzip', 'gzip'],
    ['br;q=0.2, gzip;q=0.8', 'gzip'],
    ['br ; q=0.9 , gzip ; q = 0.1', 'br'],
    ['*', 'br'],
    ['*;q=0', null],
    ['gzip;q=0, *', 'br'],
    ['br;q=0, *;q=0.5', 'gzip'],
    ['deflate', null],
    ['gzip;q=abc', null],
  ])('%s → %s', (header, expected) => {
    expect(chooseEncoding(header)).toBe(expected);
  });
});
