// Netlink attributes (struct nlattr, <linux/netlink.h>): the raw TLV layer, and a declarative codec
// where a family describes its attributes once as a table of { type number, value codec } and gets
// an encoder and a never-throwing decoder for plain objects. rtnetlink, nlctrl and IPVS all use it.
import { isIPv4, isIPv6 } from 'node:net';
import { bytesToIpv4, bytesToIpv6, ipToBytes } from '../sys/sockaddr.js';
import { decoded, decodeFailure, type Decoded } from './decode.js';

export const NLA_HDRLEN = 4;
export const NLA_ALIGNTO = 4;
/** nla_type bit: the payload is itself a list of attributes. */
export const NLA_F_NESTED = 1 << 15;
/** nla_type bit: the payload is in network byte order (netfilter uses it; IPVS does not set it). */
export const NLA_F_NET_BYTEORDER = 1 << 14;
export const NLA_TYPE_MASK = ~(NLA_F_NESTED | NLA_F_NET_BYTEORDER) & 0xffff;

export function alignAttribute(length: number): number {
  return (length + NLA_ALIGNTO - 1) & ~(NLA_ALIGNTO - 1);
}

// ---------------------------------------------------------------------------------------------
// Raw TLVs

export interface RawAttribute {
  /** The attribute number with the flag bits masked off. */
  readonly type: number;
  readonly nested: boolean;
  readonly networkByteOrder: boolean;
  readonly payload: Buffer;
  /** Offset of the attribute header within the buffer that was decoded. */
  readonly offset: number;
}

/** One attribute: header, payload, padding to 4 bytes. `flags` are NLA_F_* bits. */
export function encodeAttribute(type: number, payload: Uint8Array, flags = 0): Buffer {
  const length = NLA_HDRLEN + payload.length;
  if (length > 0xffff) throw new RangeError(`attribute ${type} is ${length} bytes; nla_len is 16 bits`);
  // allocUnsafe draws from Node's pool (cheap for small buffers); only the padding needs zeroing.
  const out = Buffer.allocUnsafe(alignAttribute(length));
  out.writeUInt16LE(length, 0);
  out.writeUInt16LE((type & NLA_TYPE_MASK) | flags, 2);
  out.set(payload, NLA_HDRLEN);
  out.fill(0, length);
  return out;
}

/** Splits a buffer into attributes. Trailing padding shorter than a header is ignored, as the kernel does. */
export function decodeAttributeList(buffer: Buffer): Decoded<RawAttribute[]> {
  const attributes: RawAttribute[] = [];
  let offset = 0;
  while (buffer.length - offset >= NLA_HDRLEN) {
    const length = buffer.readUInt16LE(offset);
    const rawType = buffer.readUInt16LE(offset + 2);
    if (length < NLA_HDRLEN || offset + length > buffer.length) {
      return decodeFailure('BAD_LENGTH', `nla_len ${length} at offset ${offset} of a ${buffer.length}-byte attribute list`, {
        offset,
        attribute: String(rawType & NLA_TYPE_MASK),
      });
    }
    attributes.push({
      type: rawType & NLA_TYPE_MASK,
      nested: (rawType & NLA_F_NESTED) !== 0,
      networkByteOrder: (rawType & NLA_F_NET_BYTEORDER) !== 0,
      payload: buffer.subarray(offset + NLA_HDRLEN, offset + length),
      offset,
    });
    offset += alignAttribute(length);
  }
  return decoded(attributes);
}

/** The last attribute of that type (the kernel's nla_parse also keeps the last duplicate). */
export function findAttribute(attributes: readonly RawAttribute[], type: number): RawAttribute | undefined {
  for (let i = attributes.length - 1; i >= 0; i--) if (attributes[i]!.type === type) return attributes[i];
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Value codecs

/** How one attribute's payload maps to a JavaScript value. Families may write their own. */
export interface AttributeCodec<T> {
  /** Short description for error messages ('u32', 'nested', ...). */
  readonly kind: string;
  /** NLA_F_* bits set on the attribute header when encoding. */
  readonly headerFlags: number;
  encode(value: T): Buffer;
  /** Must not throw: malformed payloads come back as DecodeFailure. */
  decode(payload: Buffer, attribute: RawAttribute): Decoded<T>;
}

export type CodecValue<C> = C extends AttributeCodec<infer T> ? T : never;

type ByteOrder = 'host' | 'network';

function integer(kind: string, size: 1 | 2 | 4, signed: boolean, order: ByteOrder): AttributeCodec<number> {
  const min = signed ? -(2 ** (size * 8 - 1)) : 0;
  const max = signed ? 2 ** (size * 8 - 1) - 1 : 2 ** (size * 8) - 1;
  return {
    kind,
    headerFlags: 0,
    encode(value) {
      if (!Number.isInteger(value) || value < min || value > max) throw new RangeError(`${value} is not a ${kind}`);
      const out = Buffer.allocUnsafe(size);
      if (order === 'network') signed ? out.writeIntBE(value, 0, size) : out.writeUIntBE(value, 0, size);
      else signed ? out.writeIntLE(value, 0, size) : out.writeUIntLE(value, 0, size);
      return out;
    },
    decode(payload, attribute) {
      if (payload.length < size) return decodeFailure('BAD_VALUE', `${kind} needs ${size} bytes, got ${payload.length}`);
      // The header bit overrides the table: a sender that marks network order means it.
      const big = order === 'network' || attribute.networkByteOrder;
      if (signed) return decoded(big ? payload.readIntBE(0, size) : payload.readIntLE(0, size));
      return decoded(big ? payload.readUIntBE(0, size) : payload.readUIntLE(0, size));
    },
  };
}

export const u8 = integer('u8', 1, false, 'host');
export const u16 = integer('u16', 2, false, 'host');
export const u32 = integer('u32', 4, false, 'host');
export const s8 = integer('s8', 1, true, 'host');
export const s16 = integer('s16', 2, true, 'host');
export const s32 = integer('s32', 4, true, 'host');
/** Network byte order without the NLA_F_NET_BYTEORDER bit: IPVS ports are sent this way. */
export const u16be = integer('u16be', 2, false, 'network');
export const u32be = integer('u32be', 4, false, 'network');

function integer64(kind: string, signed: boolean, order: ByteOrder): AttributeCodec<bigint> {
  return {
    kind,
    headerFlags: 0,
    encode(value) {
      const out = Buffer.alloc(8);
      if (signed) order === 'network' ? out.writeBigInt64BE(value) : out.writeBigInt64LE(value);
      else order === 'network' ? out.writeBigUInt64BE(value) : out.writeBigUInt64LE(value);
      return out;
    },
    decode(payload, attribute) {
      if (payload.length < 8) return decodeFailure('BAD_VALUE', `${kind} needs 8 bytes, got ${payload.length}`);
      const big = order === 'network' || attribute.networkByteOrder;
      if (signed) return decoded(big ? payload.readBigInt64BE(0) : payload.readBigInt64LE(0));
      return decoded(big ? payload.readBigUInt64BE(0) : payload.readBigUInt64LE(0));
    },
  };
}

export const u64 = integer64('u64', false, 'host');
export const s64 = integer64('s64', true, 'host');
export const u64be = integer64('u64be', false, 'network');

/** Same codec, but the header carries NLA_F_NET_BYTEORDER (for families that require the bit). */
export function markedNetworkByteOrder<T>(codec: AttributeCodec<T>): AttributeCodec<T> {
  return { ...codec, headerFlags: codec.headerFlags | NLA_F_NET_BYTEORDER };
}

/** NUL-terminated string (NLA_NUL_STRING / NLA_STRING); decoding stops at the first NUL. */
export const string: AttributeCodec<string> = {
  kind: 'string',
  headerFlags: 0,
  encode: (value) => Buffer.from(`${value}\0`, 'utf8'),
  decode(payload) {
    const end = payload.indexOf(0);
    return decoded(payload.toString('utf8', 0, end < 0 ? payload.length : end));
  },
};

export const binary: AttributeCodec<Buffer> = {
  kind: 'binary',
  headerFlags: 0,
  encode: (value) => Buffer.from(value),
  decode: (payload) => decoded(Buffer.from(payload)),
};

/** Present-or-absent attribute (NLA_FLAG): no payload. Encoding `false` leaves it out. */
export const flag: AttributeCodec<boolean> = {
  kind: 'flag',
  headerFlags: 0,
  encode: () => Buffer.alloc(0),
  decode: () => decoded(true),
};

/** An IPv4 (4 bytes) or IPv6 (16 bytes) address as text; the payload length tells the family. */
export const ipAddress: AttributeCodec<string> = {
  kind: 'ipaddr',
  headerFlags: 0,
  encode(value) {
    if (!isIPv4(value) && !isIPv6(value)) throw new TypeError(`not an IP address: ${value}`);
    return ipToBytes(value);
  },
  decode(payload) {
    if (payload.length === 4) return decoded(bytesToIpv4(payload));
    if (payload.length === 16) return decoded(bytesToIpv6(payload));
    return decodeFailure('BAD_VALUE', `an IP address is 4 or 16 bytes, got ${payload.length}`);
  },
};

/** A link-layer address as lowercase colon-separated hex ('02:00:5e:00:01:33'). */
export const macAddress: AttributeCodec<string> = {
  kind: 'mac',
  headerFlags: 0,
  encode(value) {
    const parts = value.split(':');
    if (parts.length === 0 || parts.some((part) => !/^[0-9a-fA-F]{1,2}$/.test(part))) throw new TypeError(`not a MAC address: ${value}`);
    return Buffer.from(parts.map((part) => parseInt(part, 16)));
  },
  decode: (payload) => decoded([...payload].map((byte) => byte.toString(16).padStart(2, '0')).join(':')),
};

// ---------------------------------------------------------------------------------------------
// Tables

export interface AttributeSpec<T> {
  readonly type: number;
  readonly codec: AttributeCodec<T>;
}

export function attribute<T>(type: number, codec: AttributeCodec<T>): AttributeSpec<T> {
  if (!Number.isInteger(type) || type < 0 || type > NLA_TYPE_MASK) throw new RangeError(`attribute type ${type}`);
  return { type, codec };
}

// `any` here only: AttributeValues recovers each key's exact value type from the table literal.
export type AttributeTable = { readonly [name: string]: AttributeSpec<any> };

/** The plain object a table describes: every attribute optional, as on the wire. */
export type AttributeValues<T extends AttributeTable> = { -readonly [K in keyof T]?: T[K] extends AttributeSpec<infer V> ? V : never };

/** Identity, so that a table literal keeps its exact key and value types. */
export function defineAttributes<const T extends AttributeTable>(table: T): T {
  return table;
}

/** Encodes the present values in table order. `undefined` and flag `false` are left out. */
export function encodeAttributes<T extends AttributeTable>(table: T, values: AttributeValues<T>): Buffer {
  const parts: Buffer[] = [];
  for (const name of Object.keys(table)) {
    const value = (values as Record<string, unknown>)[name];
    if (value === undefined || value === false) continue;
    const spec = table[name]!;
    parts.push(encodeAttribute(spec.type, spec.codec.encode(value), spec.codec.headerFlags));
  }
  return Buffer.concat(parts);
}

const typeIndexes = new WeakMap<AttributeTable, Map<number, [string, AttributeSpec<unknown>]>>();

/** attribute number → [name, spec], built once per table (dumps decode thousands of messages). */
function typeIndex(table: AttributeTable): Map<number, [string, AttributeSpec<unknown>]> {
  let index = typeIndexes.get(table);
  if (!index) {
    index = new Map();
    for (const [name, spec] of Object.entries(table)) index.set(spec.type, [name, spec]);
    typeIndexes.set(table, index);
  }
  return index;
}

/** Decodes the attributes the table knows; others are ignored (newer kernels add attributes). */
export function decodeAttributes<T extends AttributeTable>(table: T, buffer: Buffer): Decoded<AttributeValues<T>> {
  const list = decodeAttributeList(buffer);
  if (!list.ok) return list;
  const byType = typeIndex(table);
  const values: Record<string, unknown> = {};
  for (const raw of list.value) {
    const entry = byType.get(raw.type);
    if (!entry) continue;
    const [name, spec] = entry;
    const value = spec.codec.decode(raw.payload, raw);
    if (!value.ok) {
      return decodeFailure(value.error.code, `${name}: ${value.error.message}`, {
        offset: raw.offset + (value.error.offset ?? 0),
        attribute: value.error.attribute ? `${name}.${value.error.attribute}` : name,
      });
    }
    values[name] = value.value;
  }
  return decoded(values as AttributeValues<T>);
}

/** A nested attribute whose payload is described by another table (sets NLA_F_NESTED unless told not to). */
export function nested<const T extends AttributeTable>(table: T, options: { nestedFlag?: boolean } = {}): AttributeCodec<AttributeValues<T>> {
  return {
    kind: 'nested',
    headerFlags: options.nestedFlag === false ? 0 : NLA_F_NESTED,
    encode: (value) => encodeAttributes(table, value),
    decode: (payload) => decodeAttributes(table, payload),
  };
}

/**
 * A nested list whose members are numbered 1..n and each hold `codec` (nlctrl's CTRL_ATTR_OPS and
 * CTRL_ATTR_MCAST_GROUPS, for instance). Decoding keeps wire order and ignores the numbers.
 */
export function nestedArray<T>(codec: AttributeCodec<T>): AttributeCodec<T[]> {
  return {
    kind: `array of ${codec.kind}`,
    headerFlags: NLA_F_NESTED,
    encode: (values) => Buffer.concat(values.map((value, index) => encodeAttribute(index + 1, codec.encode(value), codec.headerFlags))),
    decode(payload) {
      const list = decodeAttributeList(payload);
      if (!list.ok) return list;
      const out: T[] = [];
      for (const raw of list.value) {
        const value = codec.decode(raw.payload, raw);
        if (!value.ok) return decodeFailure(value.error.code, `[${out.length}]: ${value.error.message}`, { offset: raw.offset, attribute: `[${out.length}]` });
        out.push(value.value);
      }
      return decoded(out);
    },
  };
}
