// AH adverts from the sender: every one carries the next sequence number and a valid ICV, and the
// counter follows the highest number accepted from peers (keepalived 2.2.7's rule, measured: a
// restarted router continues above the master's count so that the master accepts it).
import { describe, expect, it } from 'vitest';
import { parseIpv4Packet } from '../../src/vrrp/ip-header.js';
import { parseAhPayload, verifyAhIcv } from '../../src/vrrp/packet-ah.js';
import { AdvertSender } from '../../src/vrrp/runtime/advert-sender.js';
import type { SocketSet } from '../../src/vrrp/runtime/socket-set.js';
import type { InstanceConfig } from '../../src/vrrp/types.js';

const config: InstanceConfig = {
  name: 'VI_AH', vrid: 61, version: 2, family: 'ipv4', basePriority: 150, advertIntervalMs: 1000, preempt: true, preemptDelayMs: 0,
  initialState: undefined, primaryAddress: '10.0.0.1', downTimerAdverts: 3, lowerPrioNoAdvert: false, higherPrioSendAdvert: false,
  garp: { masterRepeat: 5, masterDelayMs: 5000, masterRefreshMs: 0, masterRefreshRepeat: 1, lowerPrioRepeat: 5, lowerPrioDelayMs: 5000 },
};

/** A sender whose socket set only records what would go on the wire (the shell's sockets are tested in netns). */
function recordingSender(): { sender: AdvertSender; sent: Buffer[] } {
  const sent: Buffer[] = [];
  const socket = { send: (data: Uint8Array) => (sent.push(Buffer.from(data)), true) };
  const sockets = { ipv4SendSocket: () => socket } as unknown as SocketSet;
  const sender = new AdvertSender({
    config, addresses: ['10.0.0.100'], source: '10.0.0.1', destinations: ['224.0.0.18'], password: 'lab61ah', ahAuthentication: true, v3ChecksumAsV2: false, sockets,
  });
  return { sender, sent };
}

function sequenceOf(packet: Buffer): number {
  const parsed = parseIpv4Packet(packet);
  if (!parsed.ok) throw new Error(parsed.reason);
  expect(verifyAhIcv(packet, parsed.header, 'lab61ah')).toBe(true);
  const ah = parseAhPayload(parsed.payload);
  if (!ah.ok) throw new Error(ah.reason);
  return ah.ah.sequence;
}

describe('AdvertSender with AH', () => {
  it('numbers adverts 1, 2, 3 with a valid ICV each, the IP id counting along', () => {
    const { sender, sent } = recordingSender();
    for (let i = 0; i < 3; i++) sender.send(150);
    expect(sent.map(sequenceOf)).toEqual([1, 2, 3]);
    expect(sent.map((p) => p.readUInt16BE(4))).toEqual([1, 2, 3]);
  });

  it('accepts only sequence numbers above every one sent or accepted, and continues above the highest', () => {
    const { sender, sent } = recordingSender();
    sender.send(150);
    expect(sender.acceptAhSequence(1)).toBe(false);
    expect(sender.acceptAhSequence(41)).toBe(true);
    expect(sender.acceptAhSequence(41)).toBe(false);
    expect(sender.acceptAhSequence(40)).toBe(false);
    sender.send(150);
    expect(sent.map(sequenceOf)).toEqual([1, 42]);
    expect(sender.acceptAhSequence(42)).toBe(false);
    expect(sender.acceptAhSequence(43)).toBe(true);
  });
});
