import { describe, expect, it } from 'vitest';
import {
  buildHttpRequest,
  defaultHostHeader,
  parseHttpResponse,
  parseStatusRanges,
  expectedResponseSize,
  statusAccepted,
} from '../../src/check/http-message.js';
import { bodyDigest, judgeResponse } from '../../src/check/http.js';

describe('HTTP request as keepalived sends it', () => {
  it('1.0 has no Connection header; 1.0C and 1.1 add Connection: close', () => {
    expect(buildHttpRequest('/x', 'vh.example')).toBe('GET /x HTTP/1.0\r\nUser-Agent: KeepAliveClient\r\nHost: vh.example\r\n\r\n');
    expect(buildHttpRequest('/x', 'h', '1.0C')).toBe('GET /x HTTP/1.0\r\nUser-Agent: KeepAliveClient\r\nConnection: close\r\nHost: h\r\n\r\n');
    expect(buildHttpRequest('/x', 'h', '1.1')).toBe('GET /x HTTP/1.1\r\nUser-Agent: KeepAliveClient\r\nConnection: close\r\nHost: h\r\n\r\n');
  });

  it('default Host is address:port, IPv6 bracketed', () => {
    expect(defaultHostHeader('127.0.0.1', 8080)).toBe('127.0.0.1:8080');
    expect(defaultHostHeader('2001:db8::1', 80)).toBe('[2001:db8::1]:80');
  });
});

describe('HTTP response parsing', () => {
  it('splits status, headers and the raw body (chunked bodies are not decoded)', () => {
    const parsed = parseHttpResponse(Buffer.from('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nhi\r\n0\r\n\r\n'));
    expect(parsed.ok && parsed.response.status).toBe(200);
    expect(parsed.ok && parsed.response.headers.get('transfer-encoding')).toBe('chunked');
    expect(parsed.ok && parsed.response.body.toString()).toBe('2\r\nhi\r\n0\r\n\r\n');
  });

  it('rejects garbage and incomplete headers with a reason', () => {
    expect(parseHttpResponse(Buffer.from(''))).toEqual({ ok: false, reason: 'empty response' });
    expect(parseHttpResponse(Buffer.from('HTTP/1.0 200 OK\r\nX: y'))).toEqual({ ok: false, reason: 'incomplete HTTP header' });
    expect(parseHttpResponse(Buffer.from('SSH-2.0-OpenSSH\r\n\r\n')).ok).toBe(false);
  });

  it('knows a Content-Length response is complete before the close', () => {
    expect(expectedResponseSize(Buffer.from('HTTP/1.0 200 OK\r\nContent-Length: 2\r\n'))).toBeUndefined();
    expect(expectedResponseSize(Buffer.from('HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nh'))).toBe(40);
    expect(expectedResponseSize(Buffer.from('HTTP/1.0 200 OK\r\n\r\nhi'))).toBe(Number.POSITIVE_INFINITY);
  });
});

describe('status_code', () => {
  it('parses single codes, ranges and lists; rejects malformed', () => {
    expect(parseStatusRanges(['200-299', '400-499', '503', '505'])).toEqual([
      { from: 200, to: 299 },
      { from: 400, to: 499 },
      { from: 503, to: 503 },
      { from: 505, to: 505 },
    ]);
    expect(parseStatusRanges(['299-200'])).toBeNull();
    expect(parseStatusRanges(['2xx'])).toBeNull();
  });

  it('defaults to 200-299', () => {
    expect(statusAccepted(204)).toBe(true);
    expect(statusAccepted(301)).toBe(false);
    expect(statusAccepted(503, [{ from: 503, to: 503 }])).toBe(true);
  });
});

describe('url verdict', () => {
  const ok = Buffer.from('HTTP/1.0 200 OK\r\n\r\nhello world');
  it('checks status, digest (MD5 of the body) and regex', () => {
    expect(bodyDigest(Buffer.from('hello world'))).toBe('5eb63bbbe01eeed093cb22bb8f5acdc3');
    expect(judgeResponse({ path: '/', digest: '5EB63BBBE01EEED093CB22BB8F5ACDC3' }, ok).ok).toBe(true);
    expect(judgeResponse({ path: '/', digest: '00000000000000000000000000000000' }, ok).reason).toMatch(/digest/);
    expect(judgeResponse({ path: '/', regex: 'wor.d' }, ok).ok).toBe(true);
    expect(judgeResponse({ path: '/', regex: 'wor.d', regexNoMatch: true }, ok).ok).toBe(false);
    expect(judgeResponse({ path: '/', regex: '^nope' }, ok).ok).toBe(false);
    expect(judgeResponse({ path: '/', statusCodes: [{ from: 500, to: 599 }] }, ok).reason).toBe('/: status 200 not in 500-599');
  });
});
