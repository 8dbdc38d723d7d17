// Gratuitous ARP, unsolicited Neighbour Advertisement and virtual MAC layouts.
import { describe, expect, it } from 'vitest';
import { ipv6ToBytes } from '../../src/sys/sockaddr.js';
import { buildGratuitousArp } from '../../src/vrrp/arp.js';
import { internetChecksum, ipv6PseudoHeaderSum } from '../../src/vrrp/checksum.js';
import { buildUnsolicitedNa } from '../../src/vrrp/ndisc.js';
import { macFromText, macToText, virtualMac } from '../../src/vrrp/vmac.js';

const mac = Buffer.from('029900000011', 'hex');

describe('buildGratuitousArp', () => {
  it('broadcasts an ARP request with sender = target = the VIP', () => {
    const frame = buildGratuitousArp({ senderMac: mac, address: '192.0.2.10' });
    expect(frame.toString('hex')).toBe(
      'ffffffffffff' + '029900000011' + '0806' + '0001' + '0800' + '06' + '04' + '0001' + '029900000011' + 'c000020a' + 'ffffffffffff' + 'c000020a',
    );
  });
});

describe('buildUnsolicitedNa', () => {
  const frame = buildUnsolicitedNa({ senderMac: mac, sourceAddress: 'fe80::99:11', targetAddress: '2001:db8::10' });

  it('goes to all-nodes with hop limit 255', () => {
    expect(frame.length).toBe(86);
    expect(frame.subarray(0, 6).toString('hex')).toBe('333300000001');
    expect(frame.readUInt16BE(12)).toBe(0x86dd);
    expect(frame[14]! >> 4).toBe(6);
    expect(frame.readUInt16BE(18)).toBe(32);
    expect(frame[20]).toBe(58);
    expect(frame[21]).toBe(255);
    expect(frame.subarray(38, 54)).toEqual(ipv6ToBytes('ff02::1'));
  });

  it('carries the target, the Override flag only, and the target link-layer address option', () => {
    const icmp = frame.subarray(54);
    expect(icmp[0]).toBe(136);
    expect(icmp[1]).toBe(0);
    expect(icmp.readUInt32BE(4)).toBe(0x20000000);
    expect(icmp.subarray(8, 24)).toEqual(ipv6ToBytes('2001:db8::10'));
    expect(icmp.subarray(24, 32).toString('hex')).toBe('0201' + '029900000011');
    expect(internetChecksum(icmp, ipv6PseudoHeaderSum(ipv6ToBytes('fe80::99:11'), ipv6ToBytes('ff02::1'), 58, 32))).toBe(0);
  });

  it('sets the Router flag for a forwarding sender', () => {
    const router = buildUnsolicitedNa({ senderMac: mac, sourceAddress: 'fe80::1', targetAddress: 'fd00::1', router: true });
    expect(router.readUInt32BE(58)).toBe(0xa0000000);
  });
});

describe('virtualMac', () => {
  it('is 00-00-5E-00-01-VRID for IPv4 and 00-00-5E-00-02-VRID for IPv6', () => {
    expect(macToText(virtualMac(51))).toBe('00:00:5e:00:01:33');
    expect(macToText(virtualMac(255, 'ipv6'))).toBe('00:00:5e:00:02:ff');
    expect(() => virtualMac(0)).toThrow(RangeError);
  });

  it('parses MAC text both ways round', () => {
    expect(macFromText('00-00-5E-00-01-33')).toEqual(virtualMac(51));
    expect(macFromText('00:00:5e:00:01')).toBeUndefined();
    expect(macFromText('zz:00:5e:00:01:33')).toBeUndefined();
  });
});
