// Take-over adverts handed to the addon ready-made (AdvertSender.prepareSends / sentAhead): one
// packet per destination, numbered and checksummed exactly as a send would; the reducer's send
// that follows only counts them (nothing leaves twice), a partial success counts as failures,
// and an unclaimed record never swallows a later advert. AH adverts carry their next sequence number.
import { describe, expect, it } from 'vitest';
import { internetChecksum } from '../../src/vrrp/checksum.js';
import { parseIpv4Packet } from '../../src/vrrp/ip-header.js';
import { parseAhPayload, verifyAhIcv } from '../../src/vrrp/packet-ah.js';
import { AdvertSender } from '../../src/vrrp/runtime/advert-sender.js';
import type { SocketSet } from '../../src/vrrp/runtime/socket-set.js';
import type { InstanceConfig } from '../../src/vrrp/types.js';

const config: InstanceConfig = {
  name: 'VI_AHEAD', vrid: 77, version: 3, family: 'ipv4', basePriority: 100, advertIntervalMs: 100, preempt: true, preemptDelayMs: 0,
  initialState: undefined, primaryAddress: '10.0.0.1', downTimerAdverts: 3, lowerPrioNoAdvert: false, higherPrioSendAdvert: false,
  garp: { masterRepeat: 5, masterDelayMs: 5000, masterRefreshMs: 0, masterRefreshRepeat: 1, lowerPrioRepeat: 5, lowerPrioDelayMs: 5000 },
};
const PEERS = ['10.0.0.2', '10.0.0.3'];

/** A sender whose socket set only records what would go on the wire; fd 42 stands for its socket. */
function recordingSender(ahAuthentication = false): { sender: AdvertSender; sent: Buffer[] } {
  const sent: Buffer[] = [];
  const socket = { fd: 42, send: (data: Uint8Array) => (sent.push(Buffer.from(data)), true) };
  const sockets = { ipv4SendSocket: () => socket, ifindex: 2 } as unknown as SocketSet;
  const sender = new AdvertSender({
    config: ahAuthentication ? { ...config, version: 2, advertIntervalMs: 1000 } : config, addresses: ['10.0.0.100'], source: '10.0.0.1',
    destinations: PEERS, ...(ahAuthentication ? { password: 'secret', ahAuthentication } : {}), v3ChecksumAsV2: false, sockets,
  });
  return { sender, sent };
}

describe('AdvertSender: take-over adverts sent ahead by the addon', () => {
  it('prepares one numbered, checksummed packet per destination, then only counts the send that follows', () => {
    const { sender, sent } = recordingSender();
    const prepared = sender.prepareSends(100)!;
    expect(prepared).toHaveLength(2);
    expect(prepared.map(([fd]) => fd)).toEqual([42, 42]);
    // IP ids 1 and 2, valid header checksums, each to its peer (sockaddr_in: port 0, then the address).
    expect(prepared.map(([, packet]) => Buffer.from(packet).readUInt16BE(4))).toEqual([1, 2]);
    for (const [, packet] of prepared) expect(internetChecksum(packet, 0, 20)).toBe(0);
    expect(prepared.map(([, packet]) => [...packet.subarray(16, 20)].join('.'))).toEqual(PEERS);
    expect(prepared.map(([, , sockaddr]) => [...sockaddr!.subarray(4, 8)].join('.'))).toEqual(PEERS);
    expect(prepared.map(([, packet]) => packet[20 + 2])).toEqual([100, 100]); // VRRP priority

    sender.sentAhead(100, 2);
    expect(sender.send(100)).toBe(0);
    expect(sent).toHaveLength(0);
    expect(sender.sent).toBe(2);
    // The next advert leaves as usual, numbered on from the prepared ones.
    expect(sender.send(100)).toBe(0);
    expect(sent.map((p) => p.readUInt16BE(4))).toEqual([3, 4]);
    expect(sender.sent).toBe(4);
  });

  it('counts what did not leave as failures, and a record nobody claimed is forgotten', () => {
    const { sender, sent } = recordingSender();
    sender.prepareSends(100);
    sender.sentAhead(100, 1);
    expect(sender.send(100)).toBe(1);
    expect(sender.sendFailures).toBe(1);
    expect(sent).toHaveLength(0);

    sender.prepareSends(100);
    sender.sentAhead(100, 2);
    sender.forgetSentAhead();
    expect(sender.send(100)).toBe(0);
    expect(sent).toHaveLength(2); // sent for real: the record was dropped

    // A send of another priority is not the one prepared: it leaves, and the record goes with it.
    sender.prepareSends(100);
    sender.sentAhead(100, 2);
    sender.send(0);
    expect(sent).toHaveLength(4);
    sender.send(100);
    expect(sent).toHaveLength(6);
  });

  it('prepares AH adverts too, each with the next sequence number and a valid ICV', () => {
    const { sender, sent } = recordingSender(true);
    const prepared = sender.prepareSends(100)!;
    expect(prepared.map(([, packet]) => sequenceOf(Buffer.from(packet)))).toEqual([1, 2]);
    sender.sentAhead(100, 2);
    sender.send(100);
    expect(sent).toHaveLength(0);
    sender.send(100);
    expect(sent.map(sequenceOf)).toEqual([3, 4]);
  });
});

function sequenceOf(packet: Buffer): number {
  const parsed = parseIpv4Packet(packet);
  if (!parsed.ok) throw new Error(parsed.reason);
  expect(verifyAhIcv(packet, parsed.header, 'secret')).toBe(true);
  const ah = parseAhPayload(parsed.payload);
  if (!ah.ok) throw new Error(ah.reason);
  return ah.ah.sequence;
}
