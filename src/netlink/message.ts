// Netlink message framing (struct nlmsghdr, <linux/netlink.h>): encoding one message, splitting a
// datagram into messages, and reading NLMSG_ERROR/NLMSG_DONE payloads including extended ACKs.
import { decoded, decodeFailure, type Decoded, type DecodeFailure } from './decode.js';
import { decodeAttributeList, findAttribute } from './attributes.js';

export const NLMSG_ALIGNTO = 4;
/** sizeof(struct nlmsghdr): u32 len, u16 type, u16 flags, u32 seq, u32 pid (host byte order). */
export const NLMSG_HDRLEN = 16;

export const NLMSG_NOOP = 0x1;
export const NLMSG_ERROR = 0x2;
export const NLMSG_DONE = 0x3;
export const NLMSG_OVERRUN = 0x4;
/** Types below this are netlink control messages; families start here. */
export const NLMSG_MIN_TYPE = 0x10;

/** nlmsg_flags. Several values are reused with different meanings by GET, NEW, DELETE and ACK. */
export const NLM_F = {
  REQUEST: 0x01,
  MULTI: 0x02,
  ACK: 0x04,
  ECHO: 0x08,
  DUMP_INTR: 0x10,
  DUMP_FILTERED: 0x20,
  // GET modifiers
  ROOT: 0x100,
  MATCH: 0x200,
  ATOMIC: 0x400,
  DUMP: 0x300,
  // NEW modifiers
  REPLACE: 0x100,
  EXCL: 0x200,
  CREATE: 0x400,
  APPEND: 0x800,
  // DELETE modifiers
  NONREC: 0x100,
  BULK: 0x200,
  // ACK modifiers
  CAPPED: 0x100,
  ACK_TLVS: 0x200,
} as const;

/** enum nlmsgerr_attrs: the extended ACK TLVs after struct nlmsgerr. */
export const NLMSGERR_ATTR = {
  MSG: 1,
  OFFS: 2,
  COOKIE: 3,
  POLICY: 4,
  MISS_TYPE: 5,
  MISS_NEST: 6,
} as const;

export function alignNetlink(length: number): number {
  return (length + NLMSG_ALIGNTO - 1) & ~(NLMSG_ALIGNTO - 1);
}

export interface NetlinkMessage {
  readonly type: number;
  readonly flags: number;
  readonly seq: number;
  readonly pid: number;
  /** Everything after the 16-byte header, without trailing alignment padding. */
  readonly payload: Buffer;
}

export interface OutgoingMessage {
  readonly type: number;
  readonly flags: number;
  readonly seq?: number;
  readonly pid?: number;
  readonly payload?: Uint8Array;
}

export function encodeMessage(message: OutgoingMessage): Buffer {
  const payload = message.payload ?? Buffer.alloc(0);
  const length = NLMSG_HDRLEN + payload.length;
  const out = Buffer.allocUnsafe(alignNetlink(length));
  out.writeUInt32LE(length, 0);
  out.writeUInt16LE(message.type, 4);
  out.writeUInt16LE(message.flags, 6);
  out.writeUInt32LE((message.seq ?? 0) >>> 0, 8);
  out.writeUInt32LE((message.pid ?? 0) >>> 0, 12);
  out.set(payload, NLMSG_HDRLEN);
  out.fill(0, length);
  return out;
}

export interface DecodedMessages {
  readonly messages: NetlinkMessage[];
  /** Set when the datagram ended in bytes that are not a whole message; the messages before it are kept. */
  readonly error?: DecodeFailure;
}

/** Splits one received datagram into messages (NLMSG_OK / NLMSG_NEXT). Never throws. */
export function decodeMessages(datagram: Buffer): DecodedMessages {
  const messages: NetlinkMessage[] = [];
  let offset = 0;
  while (offset < datagram.length) {
    const header = decodeHeader(datagram, offset);
    if (!header.ok) return { messages, error: header.error };
    const { length, type, flags, seq, pid } = header.value;
    messages.push({ type, flags, seq, pid, payload: datagram.subarray(offset + NLMSG_HDRLEN, offset + length) });
    offset += alignNetlink(length);
  }
  return { messages };
}

export interface MessageHeader {
  readonly length: number;
  readonly type: number;
  readonly flags: number;
  readonly seq: number;
  readonly pid: number;
}

export function decodeHeader(buffer: Buffer, offset = 0): Decoded<MessageHeader> {
  const available = buffer.length - offset;
  if (available < NLMSG_HDRLEN) {
    return decodeFailure('TRUNCATED', `${available} bytes left, a netlink header needs ${NLMSG_HDRLEN}`, { offset });
  }
  const length = buffer.readUInt32LE(offset);
  if (length < NLMSG_HDRLEN || length > available) {
    return decodeFailure('BAD_LENGTH', `nlmsg_len ${length} with ${available} bytes left`, { offset });
  }
  return decoded({
    length,
    type: buffer.readUInt16LE(offset + 4),
    flags: buffer.readUInt16LE(offset + 6),
    seq: buffer.readUInt32LE(offset + 8),
    pid: buffer.readUInt32LE(offset + 12),
  });
}

/** What the kernel says about a request in NLMSG_ERROR (an ACK when errno is 0) or a NLMSG_DONE. */
export interface Acknowledgement {
  /** Positive errno (the kernel sends it negated); 0 for success. */
  readonly errno: number;
  /** Header of the request this answers (NLMSG_ERROR only). */
  readonly request?: MessageHeader;
  /** NLMSGERR_ATTR_MSG: the kernel's human-readable reason. */
  readonly extendedMessage?: string;
  /** NLMSGERR_ATTR_OFFS: byte offset in the request of the attribute that was rejected. */
  readonly extendedOffset?: number;
  /** NLMSGERR_ATTR_COOKIE. */
  readonly cookie?: Buffer;
}

/**
 * Reads struct nlmsgerr and, when NLM_F_ACK_TLVS is set, its extended-ACK TLVs. Unless the ACK
 * is NLM_F_CAPPED, the request is echoed whole, so the TLVs start after its aligned length.
 */
export function decodeAcknowledgement(message: NetlinkMessage): Decoded<Acknowledgement> {
  const { payload, flags } = message;
  if (message.type === NLMSG_DONE) {
    // A dump's end: an int error (0 on success) optionally followed by extended ACK TLVs.
    if (payload.length < 4) return decoded({ errno: 0 });
    const errno = 0 - payload.readInt32LE(0); // not unary minus: -0 would leak out
    return withExtendedAck({ errno }, flags, payload, 4);
  }
  if (payload.length < 4 + NLMSG_HDRLEN) {
    return decodeFailure('TRUNCATED', `NLMSG_ERROR payload of ${payload.length} bytes, needs ${4 + NLMSG_HDRLEN}`);
  }
  const errno = 0 - payload.readInt32LE(0); // not unary minus: -0 would leak out
  const request = decodeRequestHeader(payload, 4);
  const echoed = flags & NLM_F.CAPPED ? NLMSG_HDRLEN : alignNetlink(request.length);
  return withExtendedAck({ errno, request }, flags, payload, 4 + echoed);
}

function decodeRequestHeader(payload: Buffer, offset: number): MessageHeader {
  return {
    length: payload.readUInt32LE(offset),
    type: payload.readUInt16LE(offset + 4),
    flags: payload.readUInt16LE(offset + 6),
    seq: payload.readUInt32LE(offset + 8),
    pid: payload.readUInt32LE(offset + 12),
  };
}

function withExtendedAck(base: Acknowledgement, flags: number, payload: Buffer, tlvOffset: number): Decoded<Acknowledgement> {
  if (!(flags & NLM_F.ACK_TLVS)) return decoded(base);
  if (tlvOffset > payload.length) {
    return decodeFailure('BAD_LENGTH', `extended ACK starts at ${tlvOffset}, past the ${payload.length}-byte payload`);
  }
  const list = decodeAttributeList(payload.subarray(tlvOffset));
  if (!list.ok) return list;
  const text = findAttribute(list.value, NLMSGERR_ATTR.MSG);
  const offset = findAttribute(list.value, NLMSGERR_ATTR.OFFS);
  const cookie = findAttribute(list.value, NLMSGERR_ATTR.COOKIE);
  return decoded({
    ...base,
    ...(text ? { extendedMessage: stripNul(text.payload) } : {}),
    ...(offset && offset.payload.length >= 4 ? { extendedOffset: offset.payload.readUInt32LE(0) } : {}),
    ...(cookie ? { cookie: cookie.payload } : {}),
  });
}

function stripNul(bytes: Buffer): string {
  const end = bytes.indexOf(0);
  return bytes.toString('utf8', 0, end < 0 ? bytes.length : end);
}
