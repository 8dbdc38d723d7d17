// The test-support pcap reader: both byte orders, micro- and nanosecond files, cut-off captures.
import { describe, expect, it } from 'vitest';
import { parsePcap } from '../support/pcap.js';

function pcap(magic: number, littleEndian: boolean, records: Array<{ seconds: number; fraction: number; data: Buffer }>): Buffer {
  const u32 = (value: number) => { const b = Buffer.alloc(4); if (littleEndian) b.writeUInt32LE(value); else b.writeUInt32BE(value); return b; };
  const u16 = (value: number) => { const b = Buffer.alloc(2); if (littleEndian) b.writeUInt16LE(value); else b.writeUInt16BE(value); return b; };
  const header = Buffer.concat([u32(magic), u16(2), u16(4), u32(0), u32(0), u32(65535), u32(1)]);
  return Buffer.concat([header, ...records.flatMap((r) => [u32(r.seconds), u32(r.fraction), u32(r.data.length), u32(r.data.length), r.data])]);
}

describe('parsePcap', () => {
  const records = [{ seconds: 100, fraction: 500, data: Buffer.from('abcd', 'hex') }, { seconds: 101, fraction: 0, data: Buffer.from('0102030405', 'hex') }];

  it('reads little- and big-endian microsecond files alike', () => {
    for (const littleEndian of [true, false]) {
      const file = parsePcap(pcap(0xa1b2c3d4, littleEndian, records));
      expect(file.linkType).toBe(1);
      expect(file.records.map((r) => r.data.toString('hex'))).toEqual(['abcd', '0102030405']);
      expect(file.records[0]!.timestamp).toBeCloseTo(100.0005, 6);
    }
  });

  it('reads nanosecond files', () => {
    expect(parsePcap(pcap(0xa1b23c4d, true, records)).records[0]!.timestamp).toBeCloseTo(100.0000005, 9);
  });

  it('keeps the complete records of a capture cut off mid-record', () => {
    const whole = pcap(0xa1b2c3d4, true, records);
    expect(parsePcap(whole.subarray(0, whole.length - 2)).records).toHaveLength(1);
  });

  it('rejects what is not a pcap file', () => {
    expect(() => parsePcap(Buffer.alloc(10))).toThrow(/global header/);
    expect(() => parsePcap(Buffer.alloc(24))).toThrow(/unknown magic/);
  });
});
