import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  broadcastOf,
  decodeAddress,
  decodeLink,
  decodeRoute,
  decodeRouteEvent,
  decodeRule,
  encodeAddressRequest,
  encodeRouteRequest,
  encodeRuleRequest,
  encodeVethPeer,
  formatPrefix,
  parsePrefix,
  RTM,
} from '../../src/netlink/route/index.js';
import type { NetlinkMessage } from '../../src/netlink/message.js';

const hex = (text: string) => Buffer.from(text.replace(/\s+/g, ''), 'hex');
const message = (type: number, payload: Buffer): NetlinkMessage => ({ type, flags: 0, seq: 0, pid: 0, payload });

describe('address requests (struct ifaddrmsg + IFA_*)', () => {
  it('IPv4 with broadcast, scope link and label, as ip(8) would send it', () => {
    const bytes = encodeAddressRequest({ link: 3, address: '10.20.0.5/24', broadcast: '10.20.0.255', scope: 'link', label: 'd0:1' }, 3);
    expect(bytes.toString('hex')).toBe(
      hex(
        '02 18 00 fd 03000000' + // AF_INET, /24, flags 0, scope link (253), ifindex 3
          '0800 0100 0a140005' + // IFA_ADDRESS 10.20.0.5
          '0800 0200 0a140005' + // IFA_LOCAL 10.20.0.5
          '0900 0300 64303a3100 000000' + // IFA_LABEL "d0:1"
          '0800 0400 0a1400ff', // IFA_BROADCAST 10.20.0.255
      ).toString('hex'),
    );
  });

  it('IPv6 nodad + noprefixroute: low bits in the header, all of them in IFA_FLAGS', () => {
    const bytes = encodeAddressRequest({ link: 3, address: 'fd00::5/64', nodad: true, noprefixroute: true }, 3);
    const address = 'fd000000000000000000000000000005';
    expect(bytes.toString('hex')).toBe(hex(`0a 40 02 00 03000000 1400 0100 ${address} 1400 0200 ${address} 0800 0800 02020000`).toString('hex'));
  });

  it('a peer goes in IFA_ADDRESS, lifetimes in IFA_CACHEINFO, metric in IFA_RT_PRIORITY', () => {
    const bytes = encodeAddressRequest({ link: 1, address: '10.0.0.1', peer: '10.0.0.2', validLifetime: 30, metric: 7 }, 1);
    expect(bytes.toString('hex')).toBe(
      hex('02 20 00 00 01000000 0800 0100 0a000002 0800 0200 0a000001 1400 0600 ffffffff 1e000000 00000000 00000000 0800 0900 07000000').toString('hex'),
    );
  });

  it('127/8 defaults to scope host, like ip(8); bad input is refused before anything is sent', () => {
    expect(encodeAddressRequest({ link: 1, address: '127.0.0.2/8' }, 1)[3]).toBe(254);
    expect(() => encodeAddressRequest({ link: 1, address: 'fd00::1/129' }, 1)).toThrow(RangeError);
    expect(() => encodeAddressRequest({ link: 1, address: 'eth0' }, 1)).toThrow(TypeError);
  });

  it("'auto' broadcast is the prefix's all-ones address", () => {
    expect(broadcastOf('10.22.0.9', 20)).toBe('10.22.15.255');
    expect(broadcastOf('192.0.2.1', 32)).toBe('192.0.2.1');
    expect(broadcastOf('192.0.2.1', 0)).toBe('255.255.255.255');
  });

  it('decodes a kernel RTM_NEWADDR with IFA_FLAGS and IFA_CACHEINFO', () => {
    const payload = hex(
      '02 18 80 00 05000000' +
        '0800 0100 c0000201 0800 0200 c0000201' +
        '0800 0400 c00002ff 0b00 0300 657468303a3100 00' +
        '1400 0600 ffffffff ffffffff 10000000 20000000' +
        '0800 0800 80020000',
    );
    expect(decodeAddress(message(RTM.NEWADDR, payload))).toEqual({
      ok: true,
      value: {
        family: 'inet',
        index: 5,
        address: '192.0.2.1',
        prefixLength: 24,
        broadcast: '192.0.2.255',
        label: 'eth0:1',
        scope: 'global',
        flags: 0x280,
        lifetimes: { preferred: 0xffffffff, valid: 0xffffffff, created: 16, updated: 32 },
      },
    });
  });
});

describe('route and rule requests', () => {
  it('rtmsg + RTA_* for a gateway route in table 100', () => {
    const bytes = encodeRouteRequest({ destination: '10.71.0.0/16', gateway: '10.1.0.254', table: 100, metric: 20, preferredSource: '10.1.0.1' }, 3, false);
    expect(bytes.toString('hex')).toBe(
      hex(
        '02 10 00 00 64 03 00 01 00000000' + // inet, /16, table 100, proto boot, scope universe, unicast
          '0800 0100 0a470000 0800 0400 03000000 0800 0500 0a0100fe' + // dst, oif, gateway
          '0800 0600 14000000 0800 0700 0a010001 0800 0f00 64000000', // priority 20, prefsrc, table
      ).toString('hex'),
    );
  });

  it('tables above 255 only travel in RTA_TABLE; deletes leave scope as NOWHERE and type unspec', () => {
    const bytes = encodeRouteRequest({ destination: 'default', family: 'inet6', table: 1000 }, undefined, true);
    expect(bytes.toString('hex')).toBe(hex('0a 00 00 00 00 00 ff 00 00000000 0800 0f00 e8030000').toString('hex'));
  });

  it('a gateway-less IPv4 route gets scope link; a blackhole keeps universe', () => {
    expect(encodeRouteRequest({ destination: '10.0.0.0/8' }, 2, false)[6]).toBe(253);
    expect(encodeRouteRequest({ destination: '10.0.0.0/8', type: 'blackhole' }, undefined, false).subarray(6, 8)).toEqual(Buffer.from([0, 6]));
  });

  it('RTA_VIA carries its own family', () => {
    const bytes = encodeRouteRequest({ destination: '10.0.0.0/8', via: 'fe80::1' }, 2, false);
    expect(bytes.subarray(-24).toString('hex')).toBe(hex('1600 1200 0a00 fe800000000000000000000000000001 0000').toString('hex'));
    expect(decodeRoute(message(RTM.NEWROUTE, bytes))).toMatchObject({ ok: true, value: { destination: '10.0.0.0/8', via: 'fe80::1', outputIndex: 2, table: 254 } });
  });

  it('fib_rule_hdr + FRA_* for pref 1001 from 10.81.0.0/24 table 100', () => {
    const bytes = encodeRuleRequest({ priority: 1001, from: '10.81.0.0/24', table: 100 }, false);
    expect(bytes.toString('hex')).toBe(hex('02 00 18 00 64 00 00 01 00000000 0800 0200 0a510000 0800 0600 e9030000 0800 0f00 64000000').toString('hex'));
    expect(decodeRule(message(RTM.NEWRULE, bytes))).toEqual({
      ok: true,
      value: { family: 'inet', priority: 1001, from: '10.81.0.0/24', to: 'default', table: 100, action: 'table', invert: false, tos: 0, flags: 0 },
    });
  });

  it('a rule without from/to needs a family', () => {
    expect(() => encodeRuleRequest({ fwmark: 1, table: 5 }, false)).toThrow(TypeError);
    expect(encodeRuleRequest({ family: 'inet6', fwmark: 1, table: 5 }, false)[0]).toBe(10);
  });

  it('prefixes print as ip(8) prints them', () => {
    expect(parsePrefix('10.1.2.0/24')).toEqual({ family: 2, address: '10.1.2.0', length: 24 });
    expect(formatPrefix('10.1.2.3', 32, 2)).toBe('10.1.2.3');
    expect(formatPrefix(undefined, 0, 10)).toBe('default');
    expect(() => parsePrefix('default')).toThrow(TypeError);
  });
});

describe('links', () => {
  it('VETH_INFO_PEER holds an ifinfomsg and the peer attributes', () => {
    expect(encodeVethPeer({ name: 'v1' }).toString('hex')).toBe(hex('1c00 0100' + '00'.repeat(16) + '0700 0300 763100 00').toString('hex'));
  });

  it('decodes a kernel RTM_NEWLINK for a macvlan in bridge mode', () => {
    const payload = hex(
      '00 00 0100 03000000 43100100 00000000' + // ARPHRD_ETHER, index 3, UP|BROADCAST|RUNNING|MULTICAST|LOWER_UP
        '0700 0300 643000 00' + // IFLA_IFNAME "d0"
        '0800 0400 dc050000' + // IFLA_MTU 1500
        '0500 1000 06 000000' + // IFLA_OPERSTATE up
        '0a00 0100 020000aabbcc 0000' + // IFLA_ADDRESS
        '0800 0500 02000000' + // IFLA_LINK 2
        '2400 1200' + // IFLA_LINKINFO
        '  0c00 0100 6d6163766c616e00' + // IFLA_INFO_KIND "macvlan"
        '  1400 0200 0800 0100 04000000 0600 0200 0000 0000', // IFLA_INFO_DATA { MODE bridge, FLAGS 0 }
    );
    expect(decodeLink(message(RTM.NEWLINK, payload))).toEqual({
      ok: true,
      value: { index: 3, name: 'd0', type: 1, flags: 0x11043, up: true, lowerUp: true, operstate: 'up', mtu: 1500, mac: '02:00:00:aa:bb:cc', parentIndex: 2, kind: 'macvlan', macvlanMode: 'bridge' },
    });
  });
});

describe('malformed rtnetlink messages give typed failures', () => {
  it('short fixed headers are TRUNCATED', () => {
    expect(decodeLink(message(RTM.NEWLINK, Buffer.alloc(10)))).toMatchObject({ ok: false, error: { code: 'TRUNCATED' } });
    expect(decodeAddress(message(RTM.NEWADDR, Buffer.alloc(7)))).toMatchObject({ ok: false, error: { code: 'TRUNCATED' } });
    expect(decodeRoute(message(RTM.NEWROUTE, Buffer.alloc(11)))).toMatchObject({ ok: false, error: { code: 'TRUNCATED' } });
    expect(decodeRule(message(RTM.NEWRULE, Buffer.alloc(3)))).toMatchObject({ ok: false, error: { code: 'TRUNCATED' } });
  });

  it('missing essentials and bad values are BAD_VALUE naming the attribute', () => {
    expect(decodeLink(message(RTM.NEWLINK, Buffer.alloc(16)))).toMatchObject({ ok: false, error: { code: 'BAD_VALUE' } });
    expect(decodeAddress(message(RTM.NEWADDR, hex('07 18 00 00 01000000 0800 0200 0a000001')))).toMatchObject({ ok: false, error: { code: 'BAD_VALUE' } });
    expect(decodeRoute(message(RTM.NEWROUTE, hex('02 00 00 00 fe 00 00 01 00000000 0700 0500 0a0001 00')))).toMatchObject({
      ok: false,
      error: { code: 'BAD_VALUE', attribute: 'gateway' },
    });
  });

  it('notifications keep new apart from delete; unknown types are not followed', () => {
    const address = hex('02 18 00 00 01000000 0800 0200 0a000001');
    expect(decodeRouteEvent(message(RTM.NEWADDR, address))).toMatchObject({ ok: true, value: { kind: 'address', action: 'new' } });
    expect(decodeRouteEvent(message(RTM.DELADDR, address))).toMatchObject({ ok: true, value: { kind: 'address', action: 'delete' } });
    expect(decodeRouteEvent(message(28 /* RTM_NEWNEIGH */, address))).toBeUndefined();
    expect(decodeRouteEvent(message(RTM.NEWROUTE, hex('80 00 00 00 fe 00 00 01 00000000')))).toBeUndefined(); // RTNL_FAMILY_IPMR
  });

  it('random payloads never make a decoder throw', () => {
    const types = [RTM.NEWLINK, RTM.DELLINK, RTM.NEWADDR, RTM.DELADDR, RTM.NEWROUTE, RTM.DELROUTE, RTM.NEWRULE, RTM.DELRULE];
    fc.assert(
      fc.property(fc.constantFrom(...types), fc.uint8Array({ maxLength: 160 }), (type, bytes) => {
        const result = decodeRouteEvent(message(type, Buffer.from(bytes)));
        expect(result === undefined || typeof result.ok === 'boolean').toBe(true);
      }),
      { numRuns: 3000 },
    );
  });
});
