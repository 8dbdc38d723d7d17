// Raw protocol-112 sockets on a real kernel: adverts sent with our sockets from one namespace
// arrive on our receive sockets in another, with TTL / hop limit read from the IP header or from
// recvmsg control data, over multicast and unicast, IPv4 and IPv6.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IPV6_MULTICAST_HOPS, SOL_IPV6 } from '../../src/sys/constants.js';
import type { ReceivedMessage } from '../../src/sys/native.js';
import type { Socket } from '../../src/sys/socket.js';
import { parseIpv4Packet } from '../../src/vrrp/ip-header.js';
import { encodeAdvert, passwordAuthData, type AdvertV2, type AdvertV3 } from '../../src/vrrp/packet.js';
import { encodeIpv4AdvertPacket } from '../../src/vrrp/packet-ipv4.js';
import { decodeReceivedIpv4Advert, decodeReceivedIpv6Advert } from '../../src/vrrp/packet-received.js';
import {
  ADVERT_RECEIVE_OPTIONS, openIpv4AdvertReceiveSocket, openIpv4AdvertSendSocket, openIpv6AdvertReceiveSocket,
  openIpv6AdvertSendSocket, requireInterface, sendIpv4Advert, sendIpv6Advert,
} from '../../src/vrrp/raw-sockets.js';
import { createVethLab, withinNamespace, type VethLab } from '../support/netns-raw.js';

/** The next datagram on the socket, or an error after `timeoutMs`. */
function nextMessage(socket: Socket, timeoutMs = 3000): Promise<ReceivedMessage> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.stopReceiving();
      reject(new Error('no datagram arrived'));
    }, timeoutMs);
    socket.startReceiving(ADVERT_RECEIVE_OPTIONS, (message) => {
      clearTimeout(timer);
      socket.stopReceiving();
      resolve(message);
    }, (error) => {
      clearTimeout(timer);
      socket.stopReceiving();
      reject(error);
    });
  });
}

const v2: AdvertV2 = {
  version: 2, family: 'ipv4', vrid: 51, priority: 150, addresses: ['10.77.0.100'],
  advertIntervalSeconds: 1, authType: 'pass', authData: passwordAuthData('lab51'),
};
const v3Ipv6: AdvertV3 = { version: 3, family: 'ipv6', vrid: 52, priority: 120, addresses: ['fd00:77::100'], maxAdvertIntervalCentiseconds: 10 };

describe('raw VRRP sockets between namespaces', () => {
  let lab: VethLab;
  const sockets: Socket[] = [];
  const open = (namespace: string, opener: () => Socket) => {
    const socket = withinNamespace(namespace, opener);
    sockets.push(socket);
    return socket;
  };

  beforeAll(() => {
    lab = createVethLab('r', 77);
  });

  afterAll(() => {
    for (const socket of sockets) socket.close();
    lab?.destroy();
  });

  it('delivers a v2 multicast advert to 224.0.0.18 with TTL 255 read from the IP header', async () => {
    const receiver = open(lab.b.namespace, () => openIpv4AdvertReceiveSocket({ interfaceName: lab.b.interfaceName }));
    const sender = open(lab.a.namespace, () => openIpv4AdvertSendSocket({ interfaceName: lab.a.interfaceName }));
    const arriving = nextMessage(receiver);
    const packet = encodeIpv4AdvertPacket(v2, { source: lab.a.ipv4, destination: '224.0.0.18', id: 1 });
    expect(sendIpv4Advert(sender, packet, '224.0.0.18')).toBe(true);
    const message = await arriving;
    const result = decodeReceivedIpv4Advert(message);
    expect(result).toMatchObject({ ok: true, hopLimit: 255, source: lab.a.ipv4, destination: '224.0.0.18', checksum: 'vrrp-only' });
    expect(result.ok && result.interfaceIndex).toBe(withinNamespace(lab.b.namespace, () => requireInterface(lab.b.interfaceName)));
    if (result.ok) expect({ ...result.advert, authData: Buffer.from(result.advert.version === 2 ? result.advert.authData : []) }).toEqual({ ...v2, authData: passwordAuthData('lab51') });
    // The kernel kept our header as built (IP_HDRINCL): same bytes on the far side.
    expect(message.data).toEqual(packet);
    // SO_TIMESTAMPNS: the arrival stamp's age, read as the datagram was (well under a second here).
    expect(message.ageNs).toBeGreaterThanOrEqual(0);
    expect(message.ageNs).toBeLessThan(1e9);
  });

  it('sees a packet sent with TTL 1 as TTL 1, and the decoder drops it', async () => {
    const receiver = open(lab.b.namespace, () => openIpv4AdvertReceiveSocket({ interfaceName: lab.b.interfaceName }));
    const sender = open(lab.a.namespace, () => openIpv4AdvertSendSocket({ interfaceName: lab.a.interfaceName }));
    const arriving = nextMessage(receiver);
    sendIpv4Advert(sender, encodeIpv4AdvertPacket(v2, { source: lab.a.ipv4, destination: '224.0.0.18', id: 2, ttl: 1 }), '224.0.0.18');
    const message = await arriving;
    const parsed = parseIpv4Packet(message.data);
    expect(parsed.ok && parsed.header.ttl).toBe(1);
    expect(decodeReceivedIpv4Advert(message)).toEqual({ ok: false, reason: 'bad-ttl' });
  });

  it('delivers a v3 unicast advert to a socket that joined no group', async () => {
    const receiver = open(lab.b.namespace, () => openIpv4AdvertReceiveSocket({ interfaceName: lab.b.interfaceName, group: null }));
    const sender = open(lab.a.namespace, () => openIpv4AdvertSendSocket({ interfaceName: lab.a.interfaceName, group: null }));
    const advert: AdvertV3 = { version: 3, family: 'ipv4', vrid: 53, priority: 90, addresses: ['10.77.0.101'], maxAdvertIntervalCentiseconds: 1 };
    const arriving = nextMessage(receiver);
    sendIpv4Advert(sender, encodeIpv4AdvertPacket(advert, { source: lab.a.ipv4, destination: lab.b.ipv4, id: 3 }), lab.b.ipv4);
    expect(decodeReceivedIpv4Advert(await arriving)).toMatchObject({ ok: true, hopLimit: 255, destination: lab.b.ipv4, checksum: 'pseudo-header', advert });
  });

  it('delivers an IPv6 advert to ff02::12 with hop limit 255 from recvmsg control data', async () => {
    const receiver = open(lab.b.namespace, () => openIpv6AdvertReceiveSocket({ interfaceName: lab.b.interfaceName }));
    const sender = open(lab.a.namespace, () => openIpv6AdvertSendSocket({ interfaceName: lab.a.interfaceName, sourceAddress: lab.a.linkLocal }));
    const senderIndex = withinNamespace(lab.a.namespace, () => requireInterface(lab.a.interfaceName));
    const arriving = nextMessage(receiver);
    expect(sendIpv6Advert(sender, encodeAdvert(v3Ipv6, { source: lab.a.linkLocal, destination: 'ff02::12' }), 'ff02::12', senderIndex)).toBe(true);
    expect(decodeReceivedIpv6Advert(await arriving)).toMatchObject({
      ok: true, hopLimit: 255, source: lab.a.linkLocal, destination: 'ff02::12', checksum: 'pseudo-header', advert: v3Ipv6,
    });
  });

  it('lets the kernel fill the IPv6 checksum, and reports a hop limit of 1 as 1', async () => {
    const receiver = open(lab.b.namespace, () => openIpv6AdvertReceiveSocket({ interfaceName: lab.b.interfaceName }));
    const sender = open(lab.a.namespace, () => openIpv6AdvertSendSocket({ interfaceName: lab.a.interfaceName }));
    const senderIndex = withinNamespace(lab.a.namespace, () => requireInterface(lab.a.interfaceName));
    const zeroChecksum = encodeAdvert(v3Ipv6, { source: '::', destination: 'ff02::12' });
    zeroChecksum.writeUInt16BE(0, 6);

    let arriving = nextMessage(receiver);
    sendIpv6Advert(sender, zeroChecksum, 'ff02::12', senderIndex);
    expect(decodeReceivedIpv6Advert(await arriving)).toMatchObject({ ok: true, checksum: 'pseudo-header', hopLimit: 255 });

    sender.setOption(SOL_IPV6, IPV6_MULTICAST_HOPS, 1);
    arriving = nextMessage(receiver);
    sendIpv6Advert(sender, zeroChecksum, 'ff02::12', senderIndex);
    const message = await arriving;
    expect(message.ageNs).toBeGreaterThanOrEqual(0);
    expect(message.ageNs).toBeLessThan(1e9);
    expect(decodeReceivedIpv6Advert(message, { acceptAnyHopLimit: true })).toMatchObject({ ok: true, hopLimit: 1 });
    expect(decodeReceivedIpv6Advert(message)).toEqual({ ok: false, reason: 'bad-ttl' });
  });

  it('delivers an IPv6 unicast advert to a link-local peer on a socket that joined no group', async () => {
    const receiver = open(lab.b.namespace, () => openIpv6AdvertReceiveSocket({ interfaceName: lab.b.interfaceName, group: null }));
    const sender = open(lab.a.namespace, () => openIpv6AdvertSendSocket({ interfaceName: lab.a.interfaceName, sourceAddress: lab.a.linkLocal, group: null }));
    const senderIndex = withinNamespace(lab.a.namespace, () => requireInterface(lab.a.interfaceName));
    const arriving = nextMessage(receiver);
    sendIpv6Advert(sender, encodeAdvert(v3Ipv6, { source: lab.a.linkLocal, destination: lab.b.linkLocal }), lab.b.linkLocal, senderIndex);
    expect(decodeReceivedIpv6Advert(await arriving)).toMatchObject({ ok: true, hopLimit: 255, source: lab.a.linkLocal, destination: lab.b.linkLocal, advert: v3Ipv6 });
  });

  it('fails with ENODEV for a missing interface', () => {
    expect(() => openIpv4AdvertReceiveSocket({ interfaceName: 'ktsvw-none' })).toThrow(expect.objectContaining({ code: 'ENODEV' }));
  });
});
