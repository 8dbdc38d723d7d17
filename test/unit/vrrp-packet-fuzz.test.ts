// Fuzz: 1,000,000 random and mutated packets through the receive decoders. None may throw, and
// each must come out as an advert or one of the known drop reasons; the reasons are counted.
import { describe, expect, it } from 'vitest';
import { ipv6ToBytes } from '../../src/sys/sockaddr.js';
import { internetChecksum } from '../../src/vrrp/checksum.js';
import { emptyDropCounts, isDropReason, type DropReason } from '../../src/vrrp/drop-reasons.js';
import { decodeAdvert, encodeAdvert, passwordAuthData, type DecodeResult } from '../../src/vrrp/packet.js';
import { decodeIpv4AdvertPacket, encodeIpv4AdvertPacket } from '../../src/vrrp/packet-ipv4.js';
import { encodeIpv4AhAdvertPacket } from '../../src/vrrp/packet-ah.js';
import { validateAdvert, type AdvertExpectation } from '../../src/vrrp/packet-validate.js';

const PACKETS = 1_000_000;

/** xorshift32: fast, seeded, and reproducible, unlike Math.random. */
function randomSource(seed: number) {
  let state = seed >>> 0 || 1;
  const next = () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return state >>> 0;
  };
  return { next, below: (limit: number) => next() % limit };
}

const ends = { source: '10.1.0.1', destination: '224.0.0.18', id: 1 };
const ipv6Source = ipv6ToBytes('fe80::1');
const ipv6Destination = ipv6ToBytes('ff02::12');
const ipv4Templates = [
  encodeIpv4AdvertPacket({ version: 2, family: 'ipv4', vrid: 51, priority: 100, addresses: ['10.1.0.100', '10.1.0.101'], advertIntervalSeconds: 1, authType: 'pass', authData: passwordAuthData('secret') }, ends),
  encodeIpv4AdvertPacket({ version: 2, family: 'ipv4', vrid: 52, priority: 255, addresses: ['10.1.0.102'], advertIntervalSeconds: 3, authType: 'none', authData: Buffer.alloc(8) }, ends),
  encodeIpv4AdvertPacket({ version: 3, family: 'ipv4', vrid: 53, priority: 0, addresses: ['10.1.0.103'], maxAdvertIntervalCentiseconds: 1 }, ends),
  encodeIpv4AdvertPacket({ version: 3, family: 'ipv4', vrid: 54, priority: 7, addresses: [], maxAdvertIntervalCentiseconds: 4095 }, { ...ends, v3ChecksumAsV2: true }),
  encodeIpv4AhAdvertPacket(
    { version: 2, family: 'ipv4', vrid: 62, priority: 100, addresses: ['10.1.0.104'], advertIntervalSeconds: 1, authType: 'ah', authData: new Uint8Array(8) },
    { ...ends, sequence: 1, password: 'ahsecret' },
  ),
];
const ipv4Options = { ahPasswordFor: (vrid: number) => (vrid === 62 ? 'ahsecret' : undefined) };
const ipv6Templates = [
  encodeAdvert({ version: 3, family: 'ipv6', vrid: 61, priority: 100, addresses: ['fd00::61', '2001:db8::61'], maxAdvertIntervalCentiseconds: 100 }, { source: 'fe80::1', destination: 'ff02::12' }),
];
const expectations = new Map<number, AdvertExpectation>([
  [51, { version: 2, addresses: ['10.1.0.100', '10.1.0.101'], authType: 'pass', password: 'secret', advertIntervalSeconds: 1 }],
  [52, { version: 2, addresses: ['10.1.0.102'], advertIntervalSeconds: 3 }],
  [53, { version: 3, addresses: ['10.1.0.103'] }],
  [61, { version: 3, addresses: ['fd00::61', '2001:db8::61'], dropOnAddressMismatch: true }],
  [62, { version: 2, addresses: ['10.1.0.104'], authType: 'ah', password: 'ahsecret', advertIntervalSeconds: 1 }],
]);

/** Rewrites the VRRP checksum so a mutation reaches the checks behind it. */
function fixVrrpChecksum(message: Buffer): void {
  if (message.length < 8) return;
  message.writeUInt16BE(0, 6);
  message.writeUInt16BE(internetChecksum(message), 6);
}

function mutate(template: Buffer, random: ReturnType<typeof randomSource>, vrrpOffset: number): Buffer {
  const packet = Buffer.from(template);
  const kind = random.below(8);
  if (kind === 0) return packet; // untouched: must decode
  if (kind === 1) return packet.subarray(0, random.below(packet.length)); // truncated
  if (kind === 2) return Buffer.concat([packet, Buffer.alloc(1 + random.below(40), random.below(256))]); // padded
  if (kind === 3) { // length fields: address count, IP total length, IHL
    const field = [vrrpOffset + 3, 2, 3, 0][random.below(vrrpOffset > 0 ? 4 : 1)]!;
    packet[field] = random.below(256);
    return packet;
  }
  const flips = 1 + random.below(4);
  for (let i = 0; i < flips; i++) packet[random.below(packet.length)]! ^= 1 << random.below(8);
  // Half the bit-flipped messages get a valid checksum, to exercise the checks after it.
  if (kind >= 6) fixVrrpChecksum(packet.subarray(vrrpOffset));
  return packet;
}

describe('decoder fuzz', () => {
  it(`survives ${PACKETS.toLocaleString('en')} random and mutated packets, every result a known outcome`, () => {
    const random = randomSource(0x5eed);
    const counts: Record<DropReason | 'accepted', number> = { ...emptyDropCounts(), accepted: 0 };
    const unexpected: string[] = [];
    const record = (result: DecodeResult, input: Buffer) => {
      if (result.ok) {
        if (typeof result.advert.vrid !== 'number' || !Array.isArray(result.advert.addresses)) unexpected.push(input.toString('hex'));
        const validation = validateAdvert(result.advert, (vrid) => expectations.get(vrid));
        if (validation.ok) counts.accepted++;
        else if (isDropReason(validation.reason)) counts[validation.reason]++;
        else unexpected.push(input.toString('hex'));
      } else if (isDropReason(result.reason)) {
        counts[result.reason]++;
      } else {
        unexpected.push(input.toString('hex'));
      }
    };

    for (let i = 0; i < PACKETS; i++) {
      const choice = random.below(16);
      let input: Buffer;
      try {
        if (choice === 0) {
          input = Buffer.alloc(random.below(120));
          for (let j = 0; j < input.length; j++) input[j] = random.below(256);
          record(decodeIpv4AdvertPacket(input, ipv4Options), input);
        } else if (choice < 13) {
          input = mutate(ipv4Templates[random.below(ipv4Templates.length)]!, random, 20);
          record(decodeIpv4AdvertPacket(input, ipv4Options), input);
        } else {
          input = mutate(ipv6Templates[0]!, random, 0);
          record(decodeAdvert(input, { family: 'ipv6', source: ipv6Source, destination: ipv6Destination, hopLimit: random.below(32) === 0 ? 64 : 255 }), input);
        }
      } catch (error) {
        unexpected.push(`threw ${String(error)}`);
      }
    }

    console.info('fuzz outcomes', counts);
    expect(unexpected.slice(0, 5)).toEqual([]);
    expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe(PACKETS);
    expect(counts.accepted).toBeGreaterThan(PACKETS / 20);
    const reached: DropReason[] = [
      'truncated', 'bad-length', 'bad-ip-header', 'not-vrrp', 'bad-ttl', 'bad-version', 'bad-type', 'bad-checksum',
      'bad-interval', 'unknown-auth-type', 'unknown-vrid', 'version-mismatch', 'auth-type-mismatch', 'auth-mismatch',
      'interval-mismatch', 'address-list-mismatch',
    ];
    for (const reason of reached) expect(counts[reason], reason).toBeGreaterThan(0);
  });
});
