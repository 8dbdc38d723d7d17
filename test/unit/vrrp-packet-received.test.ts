// recvmsg results turned into adverts: control messages and the per-family receive decoders.
import { describe, expect, it } from 'vitest';
import { IPV6_HOPLIMIT, IPV6_PKTINFO, IP_PKTINFO, SOL_IP, SOL_IPV6 } from '../../src/sys/constants.js';
import type { ReceivedMessage } from '../../src/sys/native.js';
import { ipv4ToBytes, ipv6ToBytes, sockaddrIn, sockaddrIn6 } from '../../src/sys/sockaddr.js';
import { encodeAdvert, type AdvertV3 } from '../../src/vrrp/packet.js';
import { encodeIpv4AdvertPacket } from '../../src/vrrp/packet-ipv4.js';
import { decodeControlMessages, decodeReceivedIpv4Advert, decodeReceivedIpv6Advert } from '../../src/vrrp/packet-received.js';

const int32 = (value: number) => { const b = Buffer.alloc(4); b.writeInt32LE(value); return b; };
const in6Pktinfo = (address: string, ifindex: number) => Buffer.concat([ipv6ToBytes(address), int32(ifindex)]);
const inPktinfo = (ifindex: number, local: string, destination: string) => Buffer.concat([int32(ifindex), ipv4ToBytes(local), ipv4ToBytes(destination)]);
const v3Ipv6: AdvertV3 = { version: 3, family: 'ipv6', vrid: 5, priority: 120, addresses: ['fd00::5'], maxAdvertIntervalCentiseconds: 100 };

function received(data: Buffer, address: Buffer, control: ReceivedMessage['control']): ReceivedMessage {
  return { data, length: data.length, address, flags: 0, control };
}

describe('decodeControlMessages', () => {
  it('reads hop limit, IPv6 pktinfo and IPv4 pktinfo', () => {
    expect(decodeControlMessages([
      { level: SOL_IPV6, type: IPV6_HOPLIMIT, data: int32(255) },
      { level: SOL_IPV6, type: IPV6_PKTINFO, data: in6Pktinfo('ff02::12', 4) },
    ])).toMatchObject({ hopLimit: 255, destination: 'ff02::12', interfaceIndex: 4 });
    expect(decodeControlMessages([{ level: SOL_IP, type: IP_PKTINFO, data: inPktinfo(3, '10.0.0.1', '224.0.0.18') }]))
      .toMatchObject({ destination: '224.0.0.18', interfaceIndex: 3 });
  });

  it('ignores unknown and short control messages', () => {
    expect(decodeControlMessages([{ level: SOL_IPV6, type: IPV6_HOPLIMIT, data: Buffer.alloc(2) }, { level: 99, type: 1, data: int32(1) }])).toEqual({});
  });
});

describe('decodeReceivedIpv6Advert', () => {
  const message = encodeAdvert(v3Ipv6, { source: 'fe80::11', destination: 'ff02::12' });
  const control = [{ level: SOL_IPV6, type: IPV6_HOPLIMIT, data: int32(255) }, { level: SOL_IPV6, type: IPV6_PKTINFO, data: in6Pktinfo('ff02::12', 7) }];

  it('takes the source from the sockaddr and hop limit and destination from control data', () => {
    expect(decodeReceivedIpv6Advert(received(message, sockaddrIn6('fe80::11', 0, 7), control))).toMatchObject({
      ok: true, source: 'fe80::11', destination: 'ff02::12', hopLimit: 255, interfaceIndex: 7, checksum: 'pseudo-header', advert: v3Ipv6,
    });
  });

  it('drops a hop limit other than 255', () => {
    const lowHops = [{ level: SOL_IPV6, type: IPV6_HOPLIMIT, data: int32(64) }, control[1]!];
    expect(decodeReceivedIpv6Advert(received(message, sockaddrIn6('fe80::11', 0, 7), lowHops))).toEqual({ ok: false, reason: 'bad-ttl' });
  });

  it('drops when the kernel gave no hop limit or destination, or the source differs from the checksummed one', () => {
    expect(decodeReceivedIpv6Advert(received(message, sockaddrIn6('fe80::11'), []))).toEqual({ ok: false, reason: 'missing-control-data' });
    expect(decodeReceivedIpv6Advert(received(message, sockaddrIn('10.0.0.1'), control))).toEqual({ ok: false, reason: 'missing-control-data' });
    expect(decodeReceivedIpv6Advert(received(message, sockaddrIn6('fe80::12', 0, 7), control))).toEqual({ ok: false, reason: 'bad-checksum' });
  });

  it('drops a datagram the kernel cut short', () => {
    expect(decodeReceivedIpv6Advert({ ...received(message, sockaddrIn6('fe80::11'), control), length: 9000 })).toEqual({ ok: false, reason: 'truncated' });
  });
});

describe('decodeReceivedIpv4Advert', () => {
  it('reads the TTL and addresses from the IP header', () => {
    const packet = encodeIpv4AdvertPacket({ ...v3Ipv6, family: 'ipv4', addresses: ['10.0.0.5'] }, { source: '10.0.0.2', destination: '224.0.0.18', id: 9, ttl: 1 });
    const control = [{ level: SOL_IP, type: IP_PKTINFO, data: inPktinfo(2, '10.0.0.3', '224.0.0.18') }];
    expect(decodeReceivedIpv4Advert(received(packet, sockaddrIn('10.0.0.2'), control))).toEqual({ ok: false, reason: 'bad-ttl' });
    expect(decodeReceivedIpv4Advert(received(packet, sockaddrIn('10.0.0.2'), control), { acceptAnyHopLimit: true }))
      .toMatchObject({ ok: true, hopLimit: 1, source: '10.0.0.2', destination: '224.0.0.18', interfaceIndex: 2 });
  });
});
