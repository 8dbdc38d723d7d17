// IPv4 persistence masks and prefix lengths convert both ways; a non-contiguous mask has no prefix.
import { describe, expect, it } from 'vitest';
import { dottedIpv4Mask, ipv4MaskFromPrefix, prefixFromIpv4Mask } from '../../src/ipvs/netmask.js';

describe('IPv4 persistence masks', () => {
  it('round-trips every prefix length', () => {
    for (let prefix = 0; prefix <= 32; prefix++) expect(prefixFromIpv4Mask(ipv4MaskFromPrefix(prefix))).toBe(prefix);
    expect(dottedIpv4Mask(24)).toBe('255.255.255.0');
    expect(dottedIpv4Mask(0)).toBe('0.0.0.0');
  });

  it('refuses a non-contiguous mask', () => {
    expect(prefixFromIpv4Mask(0xff00ff00)).toBeNull();
  });
});
