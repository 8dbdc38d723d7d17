// Small attribute builders in the shapes IPVS uses (host-order u16/u32, big-endian ports,
// NUL-terminated names, nested lists) over the shared netlink TLV layer, and a lookup by type.
import { NLA_F_NESTED, decodeAttributeList, encodeAttribute } from '../netlink/attributes.js';

export { encodeAttribute };

/** A 4-byte header plus a value of `size` bytes, padded to 4, written in place (the hot path of bulk applies). */
function fixed(type: number, size: number, write: (out: Buffer) => void): Buffer {
  const out = Buffer.alloc((4 + size + 3) & ~3);
  out.writeUInt16LE(4 + size, 0);
  out.writeUInt16LE(type, 2);
  write(out);
  return out;
}

export const u8Attribute = (type: number, value: number) => fixed(type, 1, (out) => out.writeUInt8(value & 0xff, 4));
export const u16Attribute = (type: number, value: number) => fixed(type, 2, (out) => out.writeUInt16LE(value, 4));
export const be16Attribute = (type: number, value: number) => fixed(type, 2, (out) => out.writeUInt16BE(value, 4));
export const u32Attribute = (type: number, value: number) => fixed(type, 4, (out) => out.writeUInt32LE(value >>> 0, 4));
export const stringAttribute = (type: number, value: string) => encodeAttribute(type, Buffer.from(`${value}\0`));
export const nestedAttribute = (type: number, children: readonly Buffer[]) => encodeAttribute(type, Buffer.concat(children), NLA_F_NESTED);

/** Attributes by type (the last of duplicates wins, as in the kernel's nla_parse), or null if malformed. */
export function parseAttributes(buffer: Buffer): Map<number, Buffer> | null {
  const list = decodeAttributeList(buffer);
  if (!list.ok) return null;
  return new Map(list.value.map((attribute) => [attribute.type, attribute.payload]));
}
