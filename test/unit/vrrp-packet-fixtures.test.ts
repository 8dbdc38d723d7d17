// Byte fixtures: every advert keepalived 2.2.7 sent in the shared captures decodes, and our
// encoder given the decoded fields (and the capture's IP id) rebuilds the very same bytes.
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ETH_P_IP, IPPROTO_VRRP } from '../../src/sys/constants.js';
import { parseIpv4Packet } from '../../src/vrrp/ip-header.js';
import { decodeIpv4AdvertPacket, encodeIpv4AdvertPacket } from '../../src/vrrp/packet-ipv4.js';
import { ethernetPayload, LINKTYPE_ETHERNET, readPcap } from '../support/pcap.js';

const pcapDirectory = fileURLToPath(new URL('../../../shared/fixtures/pcaps/', import.meta.url));
const captures = readdirSync(pcapDirectory).filter((name) => name.endsWith('.pcap')).sort();

function vrrpPackets(name: string): Buffer[] {
  const pcap = readPcap(pcapDirectory + name);
  expect(pcap.linkType).toBe(LINKTYPE_ETHERNET);
  return pcap.records
    .map((record) => ethernetPayload(record.data, ETH_P_IP))
    .filter((packet): packet is Buffer => packet !== undefined && packet[9] === IPPROTO_VRRP);
}

describe('keepalived 2.2.7 captures', () => {
  it('cover v2 and v3, multicast and unicast, and 10 ms adverts', () => {
    expect(captures).toEqual([
      'vrrp-v2-adv1-mcast.pcap',
      'vrrp-v2-adv1-ucast.pcap',
      'vrrp-v3-adv0.01-mcast.pcap',
      'vrrp-v3-adv1-mcast.pcap',
      'vrrp-v3-adv1-ucast.pcap',
    ]);
  });

  for (const name of captures) {
    describe(name, () => {
      const packets = vrrpPackets(name);
      const version = name.includes('-v2-') ? 2 : 3;
      const unicast = name.includes('ucast');

      it('holds adverts', () => {
        expect(packets.length).toBeGreaterThan(name.includes('0.01') ? 500 : 5);
      });

      it('decodes every advert with the capture\'s fields', () => {
        for (const packet of packets) {
          const result = decodeIpv4AdvertPacket(packet);
          expect(result.ok, packet.toString('hex')).toBe(true);
          if (!result.ok) continue;
          const { advert, ip } = result;
          expect(advert.version).toBe(version);
          expect(advert.vrid).toBe(51);
          expect([0, 100, 150]).toContain(advert.priority);
          expect(advert.addresses).toEqual(['10.99.0.100']);
          expect(ip.ttl).toBe(255);
          expect(ip.tos).toBe(0xc0);
          expect(ip.dontFragment).toBe(false);
          expect(ip.destination.startsWith('224.')).toBe(!unicast);
          if (advert.version === 2) {
            expect(advert.authType).toBe('pass');
            expect(Buffer.from(advert.authData).toString('latin1')).toBe('lab51\0\0\0');
            expect(advert.advertIntervalSeconds).toBe(1);
            expect(result.checksum).toBe('vrrp-only');
          } else {
            expect(advert.maxAdvertIntervalCentiseconds).toBe(name.includes('0.01') ? 1 : 100);
            // keepalived's default: the IPv4 pseudo-header is part of the v3 checksum.
            expect(result.checksum).toBe('pseudo-header');
          }
        }
      });

      it('re-encodes every advert to identical bytes', () => {
        for (const packet of packets) {
          const result = decodeIpv4AdvertPacket(packet);
          if (!result.ok) throw new Error(`undecodable: ${result.reason}`);
          const encoded = encodeIpv4AdvertPacket(result.advert, { source: result.ip.source, destination: result.ip.destination, id: result.ip.id });
          expect(encoded.toString('hex')).toBe(packet.subarray(0, result.ip.totalLength).toString('hex'));
        }
      });

      it('sends IP ids counting up from 1 per sender', () => {
        const idsBySender = new Map<string, number[]>();
        for (const packet of packets) {
          const parsed = parseIpv4Packet(packet);
          if (!parsed.ok) throw new Error(parsed.reason);
          const ids = idsBySender.get(parsed.header.source) ?? [];
          ids.push(parsed.header.id);
          idsBySender.set(parsed.header.source, ids);
        }
        for (const ids of idsBySender.values()) {
          expect(ids[0]).toBe(1);
          expect(ids).toEqual(ids.map((_, i) => i + 1));
        }
      });
    });
  }
});
