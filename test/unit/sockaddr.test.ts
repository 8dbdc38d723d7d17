import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { bytesToIpv6, decodeSockaddr, ipv6ToBytes, sockaddrIn, sockaddrIn6, sockaddrLl } from '../../src/sys/sockaddr.js';

describe('socket address codecs', () => {
  it('encodes sockaddr_in in the kernel layout', () => {
    expect(sockaddrIn('10.99.0.11', 80).toString('hex')).toBe('020000500a63000b0000000000000000');
  });

  it('prints IPv6 addresses the way ip(8) does', () => {
    expect(bytesToIpv6(ipv6ToBytes('ff02:0:0:0:0:0:0:12'))).toBe('ff02::12');
    expect(bytesToIpv6(ipv6ToBytes('2001:db8:0:1:0:0:0:1'))).toBe('2001:db8:0:1::1');
    expect(bytesToIpv6(ipv6ToBytes('::ffff:10.0.0.1'))).toBe('::ffff:10.0.0.1');
    expect(bytesToIpv6(ipv6ToBytes('1:0:2:0:3:0:4:0'))).toBe('1:0:2:0:3:0:4:0');
  });

  it('round-trips any IPv6 address through bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ minLength: 16, maxLength: 16 }), (bytes) => {
      expect(ipv6ToBytes(bytesToIpv6(bytes))).toEqual(Buffer.from(bytes));
    }));
  });

  it('decodes what it encodes', () => {
    expect(decodeSockaddr(sockaddrIn('192.0.2.1', 7))).toEqual({ family: 'inet', address: '192.0.2.1', port: 7 });
    expect(decodeSockaddr(sockaddrIn6('fe80::1', 0, 3))).toEqual({ family: 'inet6', address: 'fe80::1', port: 0, scopeId: 3 });
    expect(decodeSockaddr(sockaddrLl(4, 0x0806, Buffer.from('ffffffffffff', 'hex')))).toMatchObject({ family: 'packet', ifindex: 4, protocol: 0x0806 });
  });
});
