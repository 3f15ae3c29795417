/** The limiter's key for a client address, and which X-Forwarded-For entry the platform vouches for. */
import { describe, expect, it } from 'vitest';
import { clientAddressKey, lastForwardedFor } from '../../shared/http/client-address';

describe('clientAddressKey', () => {
  it('keeps IPv4 as is, unwraps IPv4-mapped IPv6, and keys IPv6 by its /64', () => {
    expect(clientAddressKey('203.0.113.7')).toBe('203.0.113.7');
    expect(clientAddressKey('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(clientAddressKey('::ffff:cb00:7107')).toBe('203.0.113.7');
    expect(clientAddressKey('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(clientAddressKey('2001:0DB8:0001:0002:ffff:1:2:3')).toBe('2001:db8:1:2::/64');
    expect(clientAddressKey('[2001:db8::1]')).toBe('2001:db8:0:0::/64');
    expect(clientAddressKey('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
    expect(clientAddressKey('::1')).toBe('0:0:0:0::/64');
  });

  it('gives one key to every address of a /64 and different keys to different /64s', () => {
    expect(clientAddressKey('2001:db8:1:2::1')).toBe(clientAddressKey('2001:db8:1:2:ffff:ffff:ffff:ffff'));
    expect(clientAddressKey('2001:db8:1:2::1')).not.toBe(clientAddressKey('2001:db8:1:3::1'));
  });

  it('refuses what is no address', () => {
    for (const bad of [null, undefined, '', 'unknown', '1.2.3', '999.1.1.1', 'example.com', '1:2:3'])
      expect(clientAddressKey(bad)).toBeNull();
  });
});

describe('lastForwardedFor', () => {
  it('takes the entry the platform appended, not what the client wrote before it', () => {
    expect(lastForwardedFor('6.6.6.6, 203.0.113.9')).toBe('203.0.113.9');
    expect(lastForwardedFor(' 203.0.113.9 ')).toBe('203.0.113.9');
    expect(lastForwardedFor('')).toBeNull();
    expect(lastForwardedFor(undefined)).toBeNull();
  });
});
