// The advert codec: field layout, checksum variants, round trips, and one test per drop reason.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { internetChecksum, ipv6PseudoHeaderSum } from '../../src/vrrp/checksum.js';
import { buildIpv4Header, parseIpv4Packet } from '../../src/vrrp/ip-header.js';
import {
  decodeAdvert, encodeAdvert, passwordAuthData, type Advert, type AdvertV2, type AdvertV3, type DecodeContext,
} from '../../src/vrrp/packet.js';
import { decodeIpv4AdvertPacket, encodeIpv4AdvertPacket } from '../../src/vrrp/packet-ipv4.js';
import { ipv4ToBytes, ipv6ToBytes } from '../../src/sys/sockaddr.js';
import { IPPROTO_VRRP } from '../../src/sys/constants.js';

const hex = (text: string) => Buffer.from(text.replace(/\s+/g, ''), 'hex');
// The two adverts quoted in ../shared/notes/vrrp-behaviour.md, IP header included.
const keepalivedV2 = hex('45c0 0028 0001 0000 ff70 d024 0a63 000b e000 0012 2133 9601 0101 3d6c 0a63 0064 6c61 6235 3100 0000');
const keepalivedV3 = hex('45c0 0020 0001 0000 ff70 d02c 0a63 000b e000 0012 3133 9601 0064 42a3 0a63 0064');

const v2: AdvertV2 = {
  version: 2, family: 'ipv4', vrid: 51, priority: 150, addresses: ['10.99.0.100'],
  advertIntervalSeconds: 1, authType: 'pass', authData: passwordAuthData('lab51'),
};
const v3: AdvertV3 = { version: 3, family: 'ipv4', vrid: 51, priority: 150, addresses: ['10.99.0.100'], maxAdvertIntervalCentiseconds: 100 };
const v3Ipv6: AdvertV3 = { version: 3, family: 'ipv6', vrid: 7, priority: 200, addresses: ['fd00::100', '2001:db8::1'], maxAdvertIntervalCentiseconds: 4095 };
const ipv4Context = (hopLimit = 255): DecodeContext => ({ family: 'ipv4', source: ipv4ToBytes('10.99.0.11'), destination: ipv4ToBytes('224.0.0.18'), hopLimit });
const ipv6Context: DecodeContext = { family: 'ipv6', source: ipv6ToBytes('fe80::1'), destination: ipv6ToBytes('ff02::12'), hopLimit: 255 };
const ipv4Ends = { source: '10.99.0.11', destination: '224.0.0.18' };
const ipv6Ends = { source: 'fe80::1', destination: 'ff02::12' };

describe('internetChecksum', () => {
  it('matches RFC 1071\'s worked example and pads an odd final byte with zero', () => {
    expect(internetChecksum(hex('0001 f203 f4f5 f6f7'))).toBe(~0xddf2 & 0xffff);
    expect(internetChecksum(hex('0001 f203 f4f5 f6'))).toBe(internetChecksum(hex('0001 f203 f4f5 f600')));
  });

  it('sums only the first `length` bytes when given a length (an IP header in place, no view)', () => {
    fc.assert(fc.property(fc.uint8Array({ minLength: 1, maxLength: 64 }), fc.nat(), (bytes, cut) => {
      const length = cut % (bytes.length + 1);
      expect(internetChecksum(bytes, 0, length)).toBe(internetChecksum(bytes.subarray(0, length)));
    }));
  });
});

describe('encodeAdvert', () => {
  it('builds keepalived\'s v2 PASS advert byte for byte', () => {
    expect(encodeIpv4AdvertPacket(v2, { ...ipv4Ends, id: 1 })).toEqual(keepalivedV2);
  });

  it('builds keepalived\'s v3 advert (IPv4 pseudo-header in the checksum) byte for byte', () => {
    expect(encodeIpv4AdvertPacket(v3, { ...ipv4Ends, id: 1 })).toEqual(keepalivedV3);
  });

  it('leaves the pseudo-header out with v3_checksum_as_v2', () => {
    const message = encodeAdvert(v3, { v3ChecksumAsV2: true });
    expect(internetChecksum(message)).toBe(0);
    expect(message.readUInt16BE(6)).not.toBe(keepalivedV3.readUInt16BE(26));
  });

  it('puts the 12-bit centisecond interval in v3 and zeroes the reserved bits', () => {
    const message = encodeAdvert(v3Ipv6, ipv6Ends);
    expect(message.readUInt16BE(4)).toBe(0x0fff);
    expect(message.length).toBe(8 + 2 * 16);
    expect(internetChecksum(message, ipv6PseudoHeaderSum(ipv6ToBytes('fe80::1'), ipv6ToBytes('ff02::12'), IPPROTO_VRRP, message.length))).toBe(0);
  });

  it('zero-pads and cuts PASS passwords at 8 bytes; auth types none and AH send zeros', () => {
    expect(passwordAuthData('abc').toString('hex')).toBe('6162630000000000');
    expect(passwordAuthData('0123456789').toString('latin1')).toBe('01234567');
    const none = encodeAdvert({ ...v2, authType: 'none' });
    expect(none.subarray(12).toString('hex')).toBe('0000000000000000');
    expect(none[4]).toBe(0);
    const ah = encodeAdvert({ ...v2, authType: 'ah' });
    expect(ah.subarray(12).toString('hex')).toBe('0000000000000000');
    expect(ah[4]).toBe(2);
  });

  it('refuses fields the wire cannot carry', () => {
    expect(() => encodeAdvert({ ...v2, vrid: 0 })).toThrow(RangeError);
    expect(() => encodeAdvert({ ...v2, advertIntervalSeconds: 256 })).toThrow(RangeError);
    expect(() => encodeAdvert({ ...v3, maxAdvertIntervalCentiseconds: 4096 }, ipv4Ends)).toThrow(RangeError);
    expect(() => encodeAdvert(v3)).toThrow(/pseudo-header/);
  });
});

describe('decodeAdvert', () => {
  const arbitraryAdvert: fc.Arbitrary<{ advert: Advert; asV2: boolean }> = fc.oneof(
    fc.record({
      vrid: fc.integer({ min: 1, max: 255 }), priority: fc.integer({ min: 0, max: 255 }),
      addresses: fc.array(fc.ipV4(), { maxLength: 20 }), advertIntervalSeconds: fc.integer({ min: 1, max: 255 }),
      authType: fc.constantFrom('none' as const, 'pass' as const), password: fc.string({ maxLength: 8, unit: 'binary-ascii' }),
    }).map(({ password, authType, ...rest }) => ({
      asV2: false,
      advert: { ...rest, version: 2 as const, family: 'ipv4' as const, authType, authData: authType === 'pass' ? passwordAuthData(password) : Buffer.alloc(8) },
    })),
    fc.record({
      vrid: fc.integer({ min: 1, max: 255 }), priority: fc.integer({ min: 0, max: 255 }),
      family: fc.constantFrom('ipv4' as const, 'ipv6' as const), count: fc.integer({ min: 0, max: 20 }),
      maxAdvertIntervalCentiseconds: fc.integer({ min: 1, max: 4095 }), asV2: fc.boolean(), seed: fc.uint8Array({ minLength: 320, maxLength: 320 }),
    }).map(({ family, count, seed, asV2, ...rest }) => ({
      asV2: asV2 && family === 'ipv4',
      advert: {
        ...rest, version: 3 as const, family,
        addresses: Array.from({ length: count }, (_, i) => (family === 'ipv4' ? seed.subarray(i * 4, i * 4 + 4).join('.') : bytesToIpv6Text(seed.subarray(i * 16, i * 16 + 16)))),
      },
    })),
  );

  it('round-trips any encodable advert', () => {
    fc.assert(fc.property(arbitraryAdvert, ({ advert, asV2 }) => {
      const ends = advert.family === 'ipv4' ? ipv4Ends : ipv6Ends;
      const decoded = decodeAdvert(encodeAdvert(advert, { ...ends, v3ChecksumAsV2: asV2 }), advert.family === 'ipv4' ? ipv4Context() : ipv6Context);
      expect(decoded.ok).toBe(true);
      if (!decoded.ok) return;
      expect(decoded.advert).toEqual({ ...advert, ...(advert.version === 2 ? { authData: new Uint8Array(advert.authData) } : {}) });
      expect(decoded.checksum).toBe(advert.version === 2 || asV2 ? 'vrrp-only' : 'pseudo-header');
    }), { numRuns: 500 });
  });

  it('accepts a v3 IPv4 checksum with or without the pseudo-header, but IPv6 only with it', () => {
    expect(decodeAdvert(encodeAdvert(v3, ipv4Ends), ipv4Context())).toMatchObject({ ok: true, checksum: 'pseudo-header' });
    expect(decodeAdvert(encodeAdvert(v3, { v3ChecksumAsV2: true }), ipv4Context())).toMatchObject({ ok: true, checksum: 'vrrp-only' });
    const ipv6AsV2 = encodeAdvert(v3Ipv6, ipv6Ends);
    ipv6AsV2.writeUInt16BE(0, 6);
    ipv6AsV2.writeUInt16BE(internetChecksum(ipv6AsV2), 6);
    expect(decodeAdvert(ipv6AsV2, ipv6Context)).toEqual({ ok: false, reason: 'bad-checksum' });
  });

  it('ignores the reserved bits of the v3 interval field', () => {
    const message = encodeAdvert(v3, { v3ChecksumAsV2: true });
    message[4]! |= 0xf0;
    message.writeUInt16BE(0, 6);
    message.writeUInt16BE(internetChecksum(message), 6);
    expect(decodeAdvert(message, ipv4Context())).toMatchObject({ ok: true, advert: { maxAdvertIntervalCentiseconds: 100 } });
  });

  describe('drops', () => {
    const withChecksum = (message: Buffer) => {
      message.writeUInt16BE(0, 6);
      message.writeUInt16BE(internetChecksum(message), 6);
      return message;
    };
    const cases: Array<[string, () => ReturnType<typeof decodeAdvert>, string]> = [
      ['a message shorter than the VRRP header', () => decodeAdvert(encodeAdvert(v2).subarray(0, 7), ipv4Context()), 'truncated'],
      ['a message shorter than its address count says', () => decodeAdvert(encodeAdvert(v2).subarray(0, 19), ipv4Context()), 'truncated'],
      ['a message longer than its address count says', () => decodeAdvert(Buffer.concat([encodeAdvert(v2), Buffer.alloc(4)]), ipv4Context()), 'bad-length'],
      ['TTL below 255', () => decodeAdvert(encodeAdvert(v2), ipv4Context(254)), 'bad-ttl'],
      ['version 4', () => decodeAdvert(withChecksum(Object.assign(encodeAdvert(v2), { 0: 0x41 })), ipv4Context()), 'bad-version'],
      ['version 2 over IPv6', () => decodeAdvert(encodeAdvert(v2), { ...ipv6Context }), 'bad-version'],
      ['type 2', () => decodeAdvert(withChecksum(Object.assign(encodeAdvert(v2), { 0: 0x22 })), ipv4Context()), 'bad-type'],
      ['a flipped bit', () => decodeAdvert(Object.assign(encodeAdvert(v2), { 9: 0x64 ^ 1 }), ipv4Context()), 'bad-checksum'],
      ['v3 interval 0', () => decodeAdvert(withChecksum(Object.assign(encodeAdvert(v3, { v3ChecksumAsV2: true }), { 5: 0 })), ipv4Context()), 'bad-interval'],
      ['v2 auth type 3', () => decodeAdvert(withChecksum(Object.assign(encodeAdvert(v2), { 4: 3 })), ipv4Context()), 'unknown-auth-type'],
    ];
    for (const [name, run, reason] of cases) {
      it(`${name}: ${reason}`, () => expect(run()).toEqual({ ok: false, reason }));
    }

    it('accepts any TTL when told to (routed unicast peers)', () => {
      expect(decodeAdvert(encodeAdvert(v2), { ...ipv4Context(3), acceptAnyHopLimit: true }).ok).toBe(true);
    });
  });
});

describe('IPv4 header', () => {
  it('parses keepalived\'s header: TOS 0xc0, id 1, no DF, TTL 255, protocol 112', () => {
    const parsed = parseIpv4Packet(keepalivedV2);
    expect(parsed).toMatchObject({ ok: true, header: { tos: 0xc0, id: 1, dontFragment: false, ttl: 255, protocol: 112, source: '10.99.0.11', destination: '224.0.0.18', totalLength: 40 } });
    expect(internetChecksum(keepalivedV2.subarray(0, 20))).toBe(0);
  });

  it('ignores bytes past the total length (Ethernet padding)', () => {
    const padded = Buffer.concat([keepalivedV3, Buffer.alloc(14)]);
    const result = decodeIpv4AdvertPacket(padded);
    expect(result.ok).toBe(true);
  });

  it('sets DF and other TTLs when asked', () => {
    const header = buildIpv4Header({ source: '192.0.2.1', destination: '192.0.2.2', payloadLength: 12, id: 0x1234, ttl: 1, dontFragment: true });
    expect(internetChecksum(header)).toBe(0);
    expect(parseIpv4Packet(Buffer.concat([header, Buffer.alloc(12)]))).toMatchObject({ ok: true, header: { ttl: 1, dontFragment: true, id: 0x1234, totalLength: 32 } });
  });

  it('drops malformed headers and other protocols', () => {
    expect(parseIpv4Packet(keepalivedV2.subarray(0, 19))).toEqual({ ok: false, reason: 'truncated' });
    expect(parseIpv4Packet(Object.assign(Buffer.from(keepalivedV2), { 0: 0x65 }))).toEqual({ ok: false, reason: 'bad-ip-header' });
    expect(parseIpv4Packet(Object.assign(Buffer.from(keepalivedV2), { 0: 0x44 }))).toEqual({ ok: false, reason: 'bad-ip-header' });
    expect(parseIpv4Packet(Object.assign(Buffer.from(keepalivedV2), { 3: 0x50 }))).toEqual({ ok: false, reason: 'truncated' });
    expect(decodeIpv4AdvertPacket(Object.assign(Buffer.from(keepalivedV2), { 9: 6 }))).toEqual({ ok: false, reason: 'not-vrrp' });
    expect(decodeIpv4AdvertPacket(Object.assign(Buffer.from(keepalivedV2), { 8: 1 }))).toEqual({ ok: false, reason: 'bad-ttl' });
  });
});

function bytesToIpv6Text(bytes: Uint8Array): string {
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((bytes[i]! << 8) | bytes[i + 1]!).toString(16));
  // Canonical form, as the decoder prints it.
  return new URL(`http://[${groups.join(':')}]/`).hostname.slice(1, -1);
}
