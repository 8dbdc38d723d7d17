// Gratuitous ARPs keepalived 2.2.7 sent in the shared captures, rebuilt byte for byte.
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ETH_P_ARP } from '../../src/sys/constants.js';
import { bytesToIpv4 } from '../../src/sys/sockaddr.js';
import { buildGratuitousArp } from '../../src/vrrp/arp.js';
import { readPcap } from '../support/pcap.js';

const pcapDirectory = fileURLToPath(new URL('../../../shared/fixtures/pcaps/', import.meta.url));

describe('gratuitous ARP against keepalived captures', () => {
  const frames = readdirSync(pcapDirectory)
    .filter((name) => name.endsWith('.pcap'))
    .flatMap((name) => readPcap(pcapDirectory + name).records.map((record) => record.data))
    .filter((frame) => frame.readUInt16BE(12) === ETH_P_ARP)
    // Gratuitous: ARP sender address equals target address.
    .filter((frame) => frame.subarray(28, 32).equals(frame.subarray(38, 42)));

  it('finds keepalived\'s GARPs (5 per master transition, both directors, every capture)', () => {
    expect(frames.length).toBe(50);
  });

  it('builds the identical 42-byte frame from sender MAC and VIP', () => {
    for (const frame of frames) {
      const built = buildGratuitousArp({ senderMac: frame.subarray(6, 12), address: bytesToIpv4(frame, 28) });
      expect(built.toString('hex')).toBe(frame.subarray(0, 42).toString('hex'));
    }
  });
});
