// A minimal reader of classic libpcap files (the format tcpdump -w writes): every record's
// timestamp and bytes. Enough for fixtures and for checking what tcpdump saw on the wire.
import { readFileSync } from 'node:fs';

export const LINKTYPE_ETHERNET = 1;

export interface PcapRecord {
  /** Seconds since the epoch, with the file's micro- or nanosecond fraction. */
  readonly timestamp: number;
  /** Captured bytes (may be shorter than originalLength with a small snap length). */
  readonly data: Buffer;
  readonly originalLength: number;
}

export interface PcapFile {
  readonly linkType: number;
  readonly records: readonly PcapRecord[];
}

export function parsePcap(bytes: Buffer): PcapFile {
  if (bytes.length < 24) throw new Error('pcap: shorter than its global header');
  const magic = bytes.readUInt32LE(0);
  const formats: Record<number, { littleEndian: boolean; fractionScale: number }> = {
    0xa1b2c3d4: { littleEndian: true, fractionScale: 1e-6 },
    0xd4c3b2a1: { littleEndian: false, fractionScale: 1e-6 },
    0xa1b23c4d: { littleEndian: true, fractionScale: 1e-9 },
    0x4d3cb2a1: { littleEndian: false, fractionScale: 1e-9 },
  };
  const format = formats[magic];
  if (!format) throw new Error(`pcap: unknown magic 0x${magic.toString(16)}`);
  const u32 = (offset: number) => (format.littleEndian ? bytes.readUInt32LE(offset) : bytes.readUInt32BE(offset));
  const linkType = u32(20) & 0x0fffffff;
  const records: PcapRecord[] = [];
  let offset = 24;
  while (offset + 16 <= bytes.length) {
    const capturedLength = u32(offset + 8);
    const start = offset + 16;
    if (start + capturedLength > bytes.length) break; // a capture cut off mid-record
    records.push({
      timestamp: u32(offset) + u32(offset + 4) * format.fractionScale,
      data: bytes.subarray(start, start + capturedLength),
      originalLength: u32(offset + 12),
    });
    offset = start + capturedLength;
  }
  return { linkType, records };
}

export function readPcap(path: string): PcapFile {
  return parsePcap(readFileSync(path));
}

/** The Ethernet payload of a frame with the given EtherType, or undefined. */
export function ethernetPayload(frame: Buffer, etherType: number): Buffer | undefined {
  if (frame.length < 14 || frame.readUInt16BE(12) !== etherType) return undefined;
  return frame.subarray(14);
}
