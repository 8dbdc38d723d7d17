// The IPVS attribute codec against hand-built bytes (the layout of include/uapi/linux/ip_vs.h),
// and its decoders against malformed replies: they return a reason, never throw.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  decodeDaemonMessage, decodeDestinationMessage, decodeInfoMessage, decodeServiceMessage, decodeTimeoutsMessage,
  encodeDestination, encodeDestinationRequest, encodeService, encodeServiceKey, encodeTimeouts,
} from '../../src/ipvs/codec.js';
import type { Service } from '../../src/ipvs/types.js';

const hex = (text: string) => Buffer.from(text.replace(/\s+/g, ''), 'hex');

const tcpService: Service = {
  family: 'inet', protocol: 'tcp', address: '10.0.0.1', port: 80, scheduler: 'rr',
  persistence: null, netmask: 32, persistenceEngine: null, onePacket: false, schedulerFlags: [],
};

describe('IPVS request encoding', () => {
  it('encodes a TCP service with every attribute a new service needs, byte for byte', () => {
    expect(encodeService(tcpService).toString('hex')).toBe(hex(`
      4800 0180
        0600 0100 0200 0000
        0600 0200 0600 0000
        0800 0300 0a000001
        0600 0400 0050 0000
        0700 0600 727200 00
        0c00 0700 00000000 ffffffff
        0800 0800 00000000
        0800 0900 ffffffff
    `).toString('hex'));
  });

  it('sets the persistence, one-packet and scheduler flag bits and the IPv4 mask in network order', () => {
    const bytes = encodeService({ ...tcpService, protocol: 'udp', scheduler: 'sh', persistence: 300, netmask: 24, onePacket: true, schedulerFlags: [1, 2], persistenceEngine: 'sip' });
    // flags: PERSISTENT 0x1 | ONEPACKET 0x4 | SCHED1 0x8 | SCHED2 0x10 = 0x1d
    expect(bytes.includes(hex('0c00 0700 1d000000 ffffffff'))).toBe(true);
    expect(bytes.includes(hex('0800 0800 2c010000'))).toBe(true);
    expect(bytes.includes(hex('0800 0900 ffffff00'))).toBe(true);
    expect(bytes.includes(hex('0800 0b00 73697000'))).toBe(true);
  });

  it('encodes an IPv6 fwmark service key as family and mark only', () => {
    expect(encodeServiceKey({ family: 'inet6', fwmark: 5 }).toString('hex')).toBe(hex('1400 0180 0600 0100 0a00 0000 0800 0500 05000000').toString('hex'));
  });

  it('encodes a GUE tunnel destination with big-endian ports', () => {
    const bytes = encodeDestination({
      family: 'inet', address: '10.0.0.9', port: 8080, forwarding: 'tunnel', weight: 5, upperThreshold: 100, lowerThreshold: 10,
      tunnelType: 'gue', tunnelPort: 6080, tunnelFlags: 1,
    });
    expect(bytes.subarray(0, 4).toString('hex')).toBe('54000280');
    for (const attribute of ['0800 0100 0a000009', '0600 0200 1f90 0000', '0800 0300 02000000', '0800 0400 05000000',
      '0800 0500 64000000', '0800 0600 0a000000', '0500 0d00 01 000000', '0600 0e00 17c0 0000', '0600 0f00 0100 0000']) {
      expect(bytes.includes(hex(attribute)), attribute).toBe(true);
    }
  });

  it('puts the service key before the destination in a destination request', () => {
    const destination = {
      family: 'inet' as const, address: '10.0.0.9', port: 80, forwarding: 'masq' as const, weight: 1, upperThreshold: 0, lowerThreshold: 0,
      tunnelType: 'ipip' as const, tunnelPort: 0, tunnelFlags: 0,
    };
    expect(encodeDestinationRequest(tcpService, destination)).toEqual(Buffer.concat([encodeServiceKey(tcpService), encodeDestination(destination)]));
  });

  it('refuses an address that is not of the service family instead of encoding garbage', () => {
    expect(() => encodeServiceKey({ ...tcpService, address: '10.0.0.300' })).toThrow(TypeError);
    expect(() => encodeServiceKey({ ...tcpService, family: 'inet6', address: '10.0.0.1' })).toThrow(TypeError);
  });

  it('encodes only the timeouts asked for', () => {
    expect(encodeTimeouts({ tcpFin: 20 }).toString('hex')).toBe(hex('0800 0500 14000000').toString('hex'));
  });
});

/** A GET_SERVICE reply as the kernel builds it: 16-byte address, HASHED flag, STATS and STATS64. */
function kernelServiceReply(): Buffer {
  const stats64 = hex('0c00 0100 0300000000000000 0c00 0400 00e1f50500000000');
  const stats32 = hex('0800 0100 03000000');
  const inner = Buffer.concat([
    hex('0600 0100 0200 0000'), hex('0600 0200 1100 0000'),
    hex('1400 0300 0a000001 00000000 00000000 00000000'), hex('0600 0400 0035 0000'),
    hex('0700 0600 736800 00'), hex('0c00 0700 0b000000 ffffffff'), hex('0800 0800 2c010000'), hex('0800 0900 ffffff00'),
    Buffer.concat([hex(`${(4 + stats32.length).toString(16).padStart(2, '0')}00 0a80`), stats32]),
    Buffer.concat([hex(`${(4 + stats64.length).toString(16).padStart(2, '0')}00 0c80`), stats64]),
  ]);
  const length = Buffer.alloc(2);
  length.writeUInt16LE(4 + inner.length);
  return Buffer.concat([length, hex('0180'), inner]);
}

describe('IPVS reply decoding', () => {
  it('decodes a kernel service reply, preferring the 64-bit counters', () => {
    const result = decodeServiceMessage(kernelServiceReply());
    expect(result).toMatchObject({
      ok: true,
      value: {
        family: 'inet', protocol: 'udp', address: '10.0.0.1', port: 53, scheduler: 'sh', persistence: 300, netmask: 24,
        persistenceEngine: null, onePacket: false, schedulerFlags: [1],
        stats: { connections: 3n, inBytes: 100000000n, outBytes: 0n },
      },
    });
  });

  it('takes the service family for a destination without IPVS_DEST_ATTR_ADDR_FAMILY', () => {
    const inner = Buffer.concat([hex('1400 0100 20010db8 00000000 00000000 00000002'), hex('0600 0200 01bb 0000'), hex('0800 0300 00000000'), hex('0800 0400 03000000')]);
    const length = Buffer.alloc(2);
    length.writeUInt16LE(4 + inner.length);
    const result = decodeDestinationMessage(Buffer.concat([length, hex('0280'), inner]), 'inet6');
    expect(result).toMatchObject({ ok: true, value: { family: 'inet6', address: '2001:db8::2', port: 443, forwarding: 'masq', weight: 3, tunnelType: 'ipip' } });
  });

  it('decodes info, timeouts and a sync daemon', () => {
    expect(decodeInfoMessage(hex('0800 0100 01020100 0800 0200 00100000'))).toEqual({ ok: true, value: { version: '1.2.1', connectionTableSize: 4096 } });
    expect(decodeTimeoutsMessage(hex('0800 0400 84030000 0800 0500 78000000 0800 0600 2c010000'))).toEqual({ ok: true, value: { tcp: 900, tcpFin: 120, udp: 300 } });
    expect(decodeDaemonMessage(hex('1c00 0380 0800 0100 01000000 0700 0200 6c6f00 00 0800 0300 03000000'))).toEqual({
      ok: true, value: { state: 'master', interface: 'lo', syncId: 3 },
    });
  });

  it('explains what is wrong with malformed replies', () => {
    expect(decodeServiceMessage(Buffer.alloc(0))).toEqual({ ok: false, reason: 'reply has no IPVS_CMD_ATTR_SERVICE' });
    expect(decodeServiceMessage(hex('0c00 0180 0600 0100 0700 0000'))).toMatchObject({ ok: false, reason: expect.stringContaining('unknown address family 7') });
    expect(decodeServiceMessage(hex('0800 0180 ff00 0100'))).toEqual({ ok: false, reason: 'malformed service attributes' });
    expect(decodeInfoMessage(hex('0800 0100 01020100'))).toMatchObject({ ok: false });
    expect(decodeDaemonMessage(hex('0c00 0380 0800 0100 09000000'))).toMatchObject({ ok: false, reason: 'unknown sync daemon state 9' });
  });

  it('never throws on arbitrary bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
      const buffer = Buffer.from(bytes);
      for (const decode of [decodeServiceMessage, (b: Buffer) => decodeDestinationMessage(b, 'inet'), decodeInfoMessage, decodeTimeoutsMessage, decodeDaemonMessage]) {
        expect(typeof decode(buffer).ok).toBe('boolean');
      }
    }));
    // The same property with a valid outer service attribute around random content.
    fc.assert(fc.property(fc.uint8Array({ maxLength: 120 }), (bytes) => {
      const length = Buffer.alloc(2);
      length.writeUInt16LE(4 + bytes.length);
      expect(typeof decodeServiceMessage(Buffer.concat([length, hex('0180'), Buffer.from(bytes)])).ok).toBe('boolean');
    }));
  });
});
