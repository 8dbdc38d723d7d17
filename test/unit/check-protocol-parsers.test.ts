import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readSmtpReply } from '../../src/check/smtp-reply.js';
import { matchesHexPattern, parseHexBytes, parseHexPattern } from '../../src/check/hex-string.js';
import { buildEchoRequest, internetChecksum, readIcmp } from '../../src/check/icmp-echo.js';
import { judgeDnsReply } from '../../src/check/dns-message.js';
import { expectedResponseSize, parseHttpResponse } from '../../src/check/http-message.js';
import { judgeResponse } from '../../src/check/http.js';

describe('SMTP replies', () => {
  it('reads single and multi-line replies and waits for the last line', () => {
    expect(readSmtpReply('220 mail ready\r\n')).toEqual({ kind: 'reply', reply: { code: 220, text: 'mail ready', length: 16 } });
    expect(readSmtpReply('250-first\r\n250 last\r\n')).toMatchObject({ kind: 'reply', reply: { code: 250, text: 'last' } });
    expect(readSmtpReply('250-first\r\n25')).toEqual({ kind: 'incomplete' });
    expect(readSmtpReply('hello\r\n').kind).toBe('malformed');
  });
});

describe('UDP_CHECK hex strings', () => {
  it('reads the man page example: "Ab12f 3 456 546443123"', () => {
    expect([...parseHexBytes('Ab12f 3 456 546443123')!]).toEqual([0xab, 0x12, 0x0f, 0x03, 0x45, 0x06, 0x54, 0x64, 0x43, 0x12, 0x03]);
    expect(parseHexBytes('zz')).toBeNull();
  });

  it('X nibbles match anything, comparison stops at the shorter length', () => {
    const pattern = parseHexPattern('aX 0x')!;
    expect(matchesHexPattern(Buffer.from([0xa7, 0x05]), pattern)).toBe(true);
    expect(matchesHexPattern(Buffer.from([0xb7, 0x05]), pattern)).toBe(false);
    expect(matchesHexPattern(Buffer.from([0xa7]), pattern)).toBe(true);
    expect(parseHexPattern('x', false)).toBeNull();
  });
});

describe('ICMP echo', () => {
  it('IPv4 requests carry a valid checksum', () => {
    const packet = buildEchoRequest(false, 0x4242, 7, Buffer.from('abc'));
    expect(packet[0]).toBe(8);
    expect(internetChecksum(packet)).toBe(0);
  });

  it('reads an IPv4 echo reply behind its IP header and an error quoting our request', () => {
    const ip = Buffer.alloc(20);
    ip[0] = 0x45;
    const reply = buildEchoRequest(false, 1, 2, Buffer.alloc(0));
    reply[0] = 0;
    expect(readIcmp(false, Buffer.concat([ip, reply]))).toEqual({ kind: 'reply', id: 1, sequence: 2 });
    const unreachable = Buffer.from([3, 1, 0, 0, 0, 0, 0, 0]);
    const error = Buffer.concat([ip, unreachable, ip, buildEchoRequest(false, 9, 10, Buffer.alloc(0))]);
    expect(readIcmp(false, error)).toEqual({ kind: 'error', type: 3, code: 1, id: 9, sequence: 10 });
    const v6reply = buildEchoRequest(true, 3, 4, Buffer.alloc(0));
    v6reply[0] = 129;
    expect(readIcmp(true, v6reply)).toEqual({ kind: 'reply', id: 3, sequence: 4 });
  });

  it('never throws on arbitrary bytes (nor does the DNS verdict)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 80 }), fc.boolean(), (bytes, v6) => {
        expect(['reply', 'error', 'other']).toContain(readIcmp(v6, bytes).kind);
        expect(typeof judgeDnsReply(bytes, 0, 'a', 'A').ok).toBe('boolean');
      }),
    );
  });
});

describe('reply parsers never throw', () => {
  it('on arbitrary bytes from a server (HTTP, SMTP)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        const data = Buffer.from(bytes);
        expect(typeof parseHttpResponse(data).ok).toBe('boolean');
        expect(['number', 'undefined']).toContain(typeof expectedResponseSize(data));
        expect(typeof judgeResponse({ path: '/', digest: 'x', regex: '(' }, data).ok).toBe('boolean');
        expect(['reply', 'incomplete', 'malformed']).toContain(readSmtpReply(data.toString('latin1')).kind);
      }),
    );
  });
});
