// Pure DNS (RFC 1035) pieces of DNS_CHECK: the query keepalived sends (one question, recursion
// desired) and the verdict on a reply: same id, a response, NOERROR, our question echoed, and an
// answer record for the queried name. Malformed replies are verdicts, never exceptions.
import type { DnsQueryType } from './types.js';

export const DNS_TYPES: Readonly<Record<DnsQueryType, number>> = { A: 1, NS: 2, CNAME: 5, SOA: 6, MX: 15, TXT: 16, AAAA: 28 };
const CLASS_IN = 1;
const FLAG_RESPONSE = 0x8000;
const FLAG_RECURSION_DESIRED = 0x0100;
const RCODE_NAMES = ['NOERROR', 'FORMERR', 'SERVFAIL', 'NXDOMAIN', 'NOTIMP', 'REFUSED'];

/** Lowercase name without the trailing dot; "" for the root. */
export function normalizeName(name: string): string {
  return name.replace(/\.$/, '').toLowerCase();
}

export function encodeName(name: string): Buffer {
  const labels = normalizeName(name) === '' ? [] : name.replace(/\.$/, '').split('.');
  const parts: Buffer[] = [];
  for (const label of labels) {
    const bytes = Buffer.from(label, 'latin1');
    parts.push(Buffer.from([Math.min(bytes.length, 63)]), bytes.subarray(0, 63));
  }
  parts.push(Buffer.from([0]));
  return Buffer.concat(parts);
}

export function buildDnsQuery(id: number, name: string, type: DnsQueryType): Buffer {
  const header = Buffer.alloc(12);
  header.writeUInt16BE(id, 0);
  header.writeUInt16BE(FLAG_RECURSION_DESIRED, 2);
  header.writeUInt16BE(1, 4);
  const question = Buffer.alloc(4);
  question.writeUInt16BE(DNS_TYPES[type], 0);
  question.writeUInt16BE(CLASS_IN, 2);
  return Buffer.concat([header, encodeName(name), question]);
}

/** Reads a possibly compressed name at offset; null when it runs off the message or loops. */
export function decodeName(message: Uint8Array, offset: number): { name: string; next: number } | null {
  const labels: string[] = [];
  let position = offset;
  let next = -1;
  for (let jumps = 0; jumps < 64; ) {
    if (position >= message.length) return null;
    const length = message[position]!;
    if (length === 0) {
      return { name: labels.join('.').toLowerCase(), next: next >= 0 ? next : position + 1 };
    }
    if ((length & 0xc0) === 0xc0) {
      if (position + 1 >= message.length) return null;
      if (next < 0) next = position + 2;
      position = ((length & 0x3f) << 8) | message[position + 1]!;
      jumps++;
      continue;
    }
    if (length > 63 || position + 1 + length > message.length) return null;
    labels.push(Buffer.from(message.subarray(position + 1, position + 1 + length)).toString('latin1'));
    position += 1 + length;
  }
  return null;
}

export type DnsVerdict = { ok: true; answers: number } | { ok: false; reason: string };

export function judgeDnsReply(reply: Uint8Array, id: number, name: string, type: DnsQueryType): DnsVerdict {
  if (reply.length < 12) return { ok: false, reason: `reply too short (${reply.length} bytes)` };
  const view = Buffer.from(reply.buffer, reply.byteOffset, reply.length);
  if (view.readUInt16BE(0) !== id) return { ok: false, reason: 'reply id does not match the query' };
  const flags = view.readUInt16BE(2);
  if ((flags & FLAG_RESPONSE) === 0) return { ok: false, reason: 'not a response' };
  const rcode = flags & 0x0f;
  if (rcode !== 0) return { ok: false, reason: `rcode ${RCODE_NAMES[rcode] ?? rcode}` };
  const questions = view.readUInt16BE(4);
  const answers = view.readUInt16BE(6);
  if (questions !== 1) return { ok: false, reason: `${questions} questions in reply` };
  const question = decodeName(view, 12);
  if (!question || question.next + 4 > view.length) return { ok: false, reason: 'malformed question' };
  const wanted = normalizeName(name);
  if (question.name !== wanted || view.readUInt16BE(question.next) !== DNS_TYPES[type]) {
    return { ok: false, reason: 'reply is for another question' };
  }
  let offset = question.next + 4;
  for (let i = 0; i < answers; i++) {
    const owner = decodeName(view, offset);
    if (!owner || owner.next + 10 > view.length) return { ok: false, reason: 'malformed answer' };
    const dataLength = view.readUInt16BE(owner.next + 8);
    if (owner.name === wanted) return { ok: true, answers };
    offset = owner.next + 10 + dataLength;
  }
  return { ok: false, reason: answers === 0 ? 'no answer' : `no answer for ${wanted || '.'}` };
}
