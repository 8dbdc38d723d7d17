// Attribute writing and lookup in the shapes IPVS uses (host-order u8/u16/u32, big-endian ports,
// NUL-terminated names, nested lists). Bulk applies encode 10,000 requests, so a writer fills one
// buffer in place instead of allocating and concatenating a buffer per attribute.
import { NLA_F_NESTED, decodeAttributeList } from '../netlink/attributes.js';

const NLA_HDRLEN = 4;

export class AttributeWriter {
  #buffer = Buffer.allocUnsafe(256);
  #offset = 0;

  /** Reserves `size` value bytes after a header (plus zeroed padding); returns the value's offset. */
  #attribute(type: number, size: number): number {
    const padded = (NLA_HDRLEN + size + 3) & ~3;
    this.#reserve(padded);
    const start = this.#offset;
    this.#buffer.writeUInt16LE(NLA_HDRLEN + size, start);
    this.#buffer.writeUInt16LE(type, start + 2);
    this.#buffer.fill(0, start + NLA_HDRLEN + size, start + padded);
    this.#offset += padded;
    return start + NLA_HDRLEN;
  }

  #reserve(bytes: number): void {
    if (this.#offset + bytes <= this.#buffer.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.#buffer.length * 2, this.#offset + bytes));
    this.#buffer.copy(grown, 0, 0, this.#offset);
    this.#buffer = grown;
  }

  u8(type: number, value: number): this {
    this.#buffer.writeUInt8(value & 0xff, this.#attribute(type, 1));
    return this;
  }

  u16(type: number, value: number): this {
    this.#buffer.writeUInt16LE(value, this.#attribute(type, 2));
    return this;
  }

  be16(type: number, value: number): this {
    this.#buffer.writeUInt16BE(value, this.#attribute(type, 2));
    return this;
  }

  u32(type: number, value: number): this {
    this.#buffer.writeUInt32LE(value >>> 0, this.#attribute(type, 4));
    return this;
  }

  bytes(type: number, value: Uint8Array): this {
    const at = this.#attribute(type, value.length);
    this.#buffer.set(value, at);
    return this;
  }

  /** A dotted IPv4 address as 4 bytes, parsed in place (callers pass validated addresses). */
  ipv4(type: number, address: string): this {
    const at = this.#attribute(type, 4);
    let octet = 0;
    let index = 0;
    for (let i = 0; i < address.length; i++) {
      const code = address.charCodeAt(i);
      if (code === 46) {
        this.#buffer[at + index++] = octet;
        octet = 0;
      } else {
        octet = octet * 10 + (code - 48);
      }
    }
    this.#buffer[at + index] = octet;
    return this;
  }

  string(type: number, value: string): this {
    const length = Buffer.byteLength(value);
    const at = this.#attribute(type, length + 1);
    this.#buffer.write(value, at);
    this.#buffer[at + length] = 0;
    return this;
  }

  /** A nested attribute whose children `body` writes. */
  nest(type: number, body: (writer: this) => void): this {
    const start = this.#attribute(type, 0) - NLA_HDRLEN;
    body(this);
    this.#buffer.writeUInt16LE(this.#offset - start, start);
    this.#buffer.writeUInt16LE(type | NLA_F_NESTED, start + 2);
    return this;
  }

  /** The attributes written so far. */
  finish(): Buffer {
    return this.#buffer.subarray(0, this.#offset);
  }
}

/** Attributes by type (the last of duplicates wins, as in the kernel's nla_parse), or null if malformed. */
export function parseAttributes(buffer: Buffer): Map<number, Buffer> | null {
  const list = decodeAttributeList(buffer);
  if (!list.ok) return null;
  return new Map(list.value.map((attribute) => [attribute.type, attribute.payload]));
}
