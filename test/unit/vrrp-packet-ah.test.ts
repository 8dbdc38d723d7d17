// VRRPv2 with IPsec AH (HMAC-MD5-96): keepalived 2.2.7's packets (captured in a namespace lab,
// auth_pass "lab51", VRID 61, two VIPs) verify and rebuild byte for byte; tampering is caught.
import { describe, expect, it } from 'vitest';
import { internetChecksum } from '../../src/vrrp/checksum.js';
import { encodeIpv4AhAdvertPacket } from '../../src/vrrp/packet-ah.js';
import { decodeIpv4AdvertPacket, encodeIpv4AdvertPacket } from '../../src/vrrp/packet-ipv4.js';
import type { AdvertV2 } from '../../src/vrrp/packet.js';

const keepalivedAh = [
  '45c0004400010000ff33d0620a500001e0000012700400000a50000100000001c18c4b74a3d0267275939b74213d9602020131560a5000640a5000650000000000000000',
  '45c0004400020000ff33d0610a500001e0000012700400000a500001000000021d49792ab3a60c2149265fd0213d9602020131560a5000640a5000650000000000000000',
].map((text) => Buffer.from(text, 'hex'));
const passwords = (vrid: number) => (vrid === 61 ? 'lab51' : undefined);
const advert: AdvertV2 = {
  version: 2, family: 'ipv4', vrid: 61, priority: 150, addresses: ['10.80.0.100', '10.80.0.101'],
  advertIntervalSeconds: 1, authType: 'ah', authData: new Uint8Array(8),
};

function withIpChecksum(packet: Buffer): Buffer {
  packet.writeUInt16BE(0, 10);
  packet.writeUInt16BE(internetChecksum(packet.subarray(0, 20)), 10);
  return packet;
}

describe('AH authentication', () => {
  it('verifies and decodes keepalived\'s AH adverts: SPI = source address, sequence counting from 1', () => {
    keepalivedAh.forEach((packet, index) => {
      const result = decodeIpv4AdvertPacket(packet, { ahPasswordFor: passwords });
      expect(result).toMatchObject({ ok: true, ah: { spi: 0x0a500001, sequence: index + 1 }, advert });
    });
  });

  it('rebuilds keepalived\'s AH adverts byte for byte', () => {
    keepalivedAh.forEach((packet, index) => {
      const built = encodeIpv4AhAdvertPacket(advert, { source: '10.80.0.1', destination: '224.0.0.18', id: index + 1, sequence: index + 1, password: 'lab51' });
      expect(built.toString('hex')).toBe(packet.toString('hex'));
    });
  });

  it('keys HMAC with the first 8 password bytes only', () => {
    const built = encodeIpv4AhAdvertPacket(advert, { source: '10.80.0.1', destination: '224.0.0.18', id: 1, sequence: 1, password: 'longpassword' });
    expect(decodeIpv4AdvertPacket(built, { ahPasswordFor: () => 'longpass' }).ok).toBe(true);
  });

  it('drops a wrong password, a tampered byte or ICV, and AH where none is configured', () => {
    const packet = keepalivedAh[0]!;
    expect(decodeIpv4AdvertPacket(packet, { ahPasswordFor: () => 'lab52' })).toEqual({ ok: false, reason: 'auth-mismatch' });
    expect(decodeIpv4AdvertPacket(packet)).toEqual({ ok: false, reason: 'auth-type-mismatch' });
    const tamperedIcv = Buffer.from(packet);
    tamperedIcv[40]! ^= 1;
    expect(decodeIpv4AdvertPacket(tamperedIcv, { ahPasswordFor: passwords })).toEqual({ ok: false, reason: 'auth-mismatch' });
    // Priority changed with a fixed-up VRRP checksum: only the ICV can tell.
    const tamperedPriority = Buffer.from(packet);
    tamperedPriority[46] = 255;
    const vrrp = tamperedPriority.subarray(44);
    vrrp.writeUInt16BE(0, 6);
    vrrp.writeUInt16BE(internetChecksum(vrrp), 6);
    expect(decodeIpv4AdvertPacket(tamperedPriority, { ahPasswordFor: passwords })).toEqual({ ok: false, reason: 'auth-mismatch' });
    // The IP id is immutable in transit, so it is covered too.
    expect(decodeIpv4AdvertPacket(withIpChecksum(Object.assign(Buffer.from(packet), { 5: 9 })), { ahPasswordFor: passwords })).toEqual({ ok: false, reason: 'auth-mismatch' });
  });

  it('still verifies when a router rewrote the mutable TOS field', () => {
    expect(decodeIpv4AdvertPacket(withIpChecksum(Object.assign(Buffer.from(keepalivedAh[0]!), { 1: 0 })), { ahPasswordFor: passwords }).ok).toBe(true);
  });

  it('drops auth type AH without an AH header, and a short or foreign AH header', () => {
    expect(decodeIpv4AdvertPacket(encodeIpv4AdvertPacket(advert, { source: '10.80.0.1', destination: '224.0.0.18', id: 1 }), { ahPasswordFor: passwords }))
      .toEqual({ ok: false, reason: 'auth-type-mismatch' });
    const short = withIpChecksum(Buffer.from(keepalivedAh[0]!.subarray(0, 40)));
    short.writeUInt16BE(40, 2);
    expect(decodeIpv4AdvertPacket(withIpChecksum(short))).toEqual({ ok: false, reason: 'truncated' });
    expect(decodeIpv4AdvertPacket(Object.assign(Buffer.from(keepalivedAh[0]!), { 20: 6 }))).toEqual({ ok: false, reason: 'not-vrrp' });
    expect(decodeIpv4AdvertPacket(Object.assign(Buffer.from(keepalivedAh[0]!), { 21: 5 }))).toEqual({ ok: false, reason: 'bad-length' });
  });

  it('refuses to build an AH packet from a non-AH advert', () => {
    expect(() => encodeIpv4AhAdvertPacket({ ...advert, authType: 'pass' }, { source: '10.80.0.1', destination: '224.0.0.18', id: 1, sequence: 1, password: 'x' })).toThrow(RangeError);
  });
});
