import { describe, expect, it } from 'vitest';
import { buildDnsQuery, decodeName, encodeName, judgeDnsReply } from '../../src/check/dns-message.js';

function reply(id: number, rcode: number, question: Buffer, type: number, answers: Buffer[]): Buffer {
  const header = Buffer.alloc(12);
  header.writeUInt16BE(id, 0);
  header.writeUInt16BE(0x8180 | rcode, 2);
  header.writeUInt16BE(1, 4);
  header.writeUInt16BE(answers.length, 6);
  const q = Buffer.alloc(4);
  q.writeUInt16BE(type, 0);
  q.writeUInt16BE(1, 2);
  return Buffer.concat([header, question, q, ...answers]);
}

function record(owner: Buffer, type: number): Buffer {
  const fixed = Buffer.alloc(10);
  fixed.writeUInt16BE(type, 0);
  fixed.writeUInt16BE(1, 2);
  fixed.writeUInt16BE(4, 8);
  return Buffer.concat([owner, fixed, Buffer.from([192, 0, 2, 1])]);
}

describe('DNS query', () => {
  it('encodes one question with recursion desired', () => {
    const query = buildDnsQuery(0x1234, 'www.example.com.', 'A');
    expect(query.readUInt16BE(0)).toBe(0x1234);
    expect(query.readUInt16BE(2)).toBe(0x0100);
    expect(query.readUInt16BE(4)).toBe(1);
    expect(decodeName(query, 12)).toEqual({ name: 'www.example.com', next: 29 });
    expect(query.readUInt16BE(29)).toBe(1);
    expect(encodeName('.')).toEqual(Buffer.from([0]));
  });

  it('decodeName survives pointer loops and truncation', () => {
    expect(decodeName(Buffer.from([0xc0, 0]), 0)).toBeNull();
    expect(decodeName(Buffer.from([5, 0x61]), 0)).toBeNull();
  });
});

describe('DNS reply verdict', () => {
  const name = encodeName('www.example.com');
  it('accepts an answer for the asked name (compressed owner)', () => {
    expect(judgeDnsReply(reply(7, 0, name, 1, [record(Buffer.from([0xc0, 12]), 1)]), 7, 'www.example.com', 'A')).toEqual({ ok: true, answers: 1 });
  });
  it('rejects NXDOMAIN, a wrong id, no answer, an answer for another name, and junk', () => {
    expect(judgeDnsReply(reply(7, 3, name, 1, []), 7, 'www.example.com', 'A')).toEqual({ ok: false, reason: 'rcode NXDOMAIN' });
    expect(judgeDnsReply(reply(8, 0, name, 1, []), 7, 'www.example.com', 'A').ok).toBe(false);
    expect(judgeDnsReply(reply(7, 0, name, 1, []), 7, 'www.example.com', 'A')).toEqual({ ok: false, reason: 'no answer' });
    expect(judgeDnsReply(reply(7, 0, name, 1, [record(encodeName('other.test'), 1)]), 7, 'www.example.com', 'A').ok).toBe(false);
    expect(judgeDnsReply(reply(7, 0, name, 28, [record(Buffer.from([0xc0, 12]), 28)]), 7, 'www.example.com', 'A').ok).toBe(false);
    expect(judgeDnsReply(Buffer.from([1, 2, 3]), 7, 'x', 'A').ok).toBe(false);
  });
});
