// Which address an instance advertises from as the interface's addresses change (pure).
import { describe, expect, it } from 'vitest';
import type { Address } from '../../src/netlink/route/address.js';
import { linkLocalAddress, resolveSourceAddress, type SourceAddressQuery } from '../../src/vrrp/runtime/source-address.js';

const address = (index: number, text: string): Address => ({
  family: text.includes(':') ? 'inet6' : 'inet', index, address: text, prefixLength: text.includes(':') ? 64 : 24, scope: 'global', flags: 0,
});

const ipv4: SourceAddressQuery = { family: 'ipv4', interfaceIndex: 2, baseInterfaceIndex: undefined, virtualAddresses: new Set(['10.0.0.100']) };

describe('resolveSourceAddress', () => {
  it('takes the first IPv4 address of the interface that is not one of its VIPs', () => {
    expect(resolveSourceAddress(ipv4, [address(3, '10.9.0.1'), address(2, '10.0.0.100'), address(2, '10.0.0.1'), address(2, '10.1.0.1')])).toBe('10.0.0.1');
  });

  it('has none when the interface holds no IPv4 address, or only VIPs (the instance is in FAULT)', () => {
    expect(resolveSourceAddress(ipv4, [])).toBeUndefined();
    expect(resolveSourceAddress(ipv4, [address(2, '10.0.0.100'), address(2, 'fe80::1')])).toBeUndefined();
  });

  it('moves to the next address when the one in use goes', () => {
    const before = [address(2, '10.0.0.1'), address(2, '10.1.0.1')];
    expect(resolveSourceAddress(ipv4, before)).toBe('10.0.0.1');
    expect(resolveSourceAddress(ipv4, before.slice(1))).toBe('10.1.0.1');
  });

  it('uses the configured unicast_src_ip / mcast_src_ip whatever the interface holds', () => {
    expect(resolveSourceAddress({ ...ipv4, configured: '10.5.0.5' }, [])).toBe('10.5.0.5');
  });

  it('with use_vmac takes IPv4 from the base interface and the link-local from the VMAC first', () => {
    const vmac: SourceAddressQuery = { ...ipv4, interfaceIndex: 7, baseInterfaceIndex: 2 };
    expect(resolveSourceAddress(vmac, [address(7, '10.0.0.100'), address(2, '10.0.0.1')])).toBe('10.0.0.1');
    const v6: SourceAddressQuery = { ...vmac, family: 'ipv6' };
    expect(resolveSourceAddress(v6, [address(2, 'fe80::2'), address(7, 'fe80::7'), address(2, 'fd00::1')])).toBe('fe80::7');
    expect(linkLocalAddress(v6, [address(2, 'fe80::2'), address(2, 'fd00::1')])).toBe('fe80::2');
    expect(resolveSourceAddress(v6, [address(2, 'fd00::1')])).toBeUndefined();
  });
});
