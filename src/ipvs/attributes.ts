// Small attribute builders in the shapes IPVS uses (host-order u16/u32, big-endian ports,
// NUL-terminated names, nested lists) over the shared netlink TLV layer, and a lookup by type.
import { NLA_F_NESTED, decodeAttributeList, encodeAttribute } from '../netlink/attributes.js';

export { encodeAttribute };

export const u8Attribute = (type: number, value: number) => encodeAttribute(type, Buffer.of(value & 0xff));
export const u16Attribute = (type: number, value: number) => {
  const b = Buffer.alloc(2);
  b.writeUInt16LE(value);
  return encodeAttribute(type, b);
};
export const be16Attribute = (type: number, value: number) => {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(value);
  return encodeAttribute(type, b);
};
export const u32Attribute = (type: number, value: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(value >>> 0);
  return encodeAttribute(type, b);
};
export const stringAttribute = (type: number, value: string) => encodeAttribute(type, Buffer.from(`${value}\0`));
export const nestedAttribute = (type: number, children: readonly Buffer[]) => encodeAttribute(type, Buffer.concat(children), NLA_F_NESTED);

/** Attributes by type (the last of duplicates wins, as in the kernel's nla_parse), or null if malformed. */
export function parseAttributes(buffer: Buffer): Map<number, Buffer> | null {
  const list = decodeAttributeList(buffer);
  if (!list.ok) return null;
  return new Map(list.value.map((attribute) => [attribute.type, attribute.payload]));
}
