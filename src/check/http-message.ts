// Pure HTTP/1.x pieces of HTTP_GET/SSL_GET: the request keepalived sends, the response split
// into status, headers and raw body, and status-code matching. The body is kept byte for byte
// (no chunked decoding), because keepalived's digest and genhash hash exactly those bytes.
import type { HttpProtocol, StatusRange } from './types.js';

export const DEFAULT_STATUS_CODES: readonly StatusRange[] = [{ from: 200, to: 299 }];

/** The GET keepalived sends: request line, User-Agent, Connection (1.0C and 1.1), Host. */
export function buildHttpRequest(path: string, host: string, protocol: HttpProtocol = '1.0'): string {
  const version = protocol === '1.1' ? '1.1' : '1.0';
  const lines = [`GET ${path} HTTP/${version}`, 'User-Agent: KeepAliveClient'];
  if (protocol !== '1.0') lines.push('Connection: close');
  lines.push(`Host: ${host}`);
  return lines.join('\r\n') + '\r\n\r\n';
}

/** Host header value when no virtualhost is set: "addr:port", IPv6 addresses bracketed. */
export function defaultHostHeader(address: string, port: number): string {
  return address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`;
}

export interface HttpResponse {
  readonly status: number;
  readonly headers: ReadonlyMap<string, string>;
  readonly body: Buffer;
}

export type ParsedResponse = { ok: true; response: HttpResponse } | { ok: false; reason: string };

/** Offset just past the blank line ending the header, or -1 when it has not arrived. */
export function headerEnd(data: Buffer): number {
  const crlf = data.indexOf('\r\n\r\n');
  if (crlf >= 0) return crlf + 4;
  const lf = data.indexOf('\n\n');
  return lf >= 0 ? lf + 2 : -1;
}

export function parseHttpResponse(data: Buffer): ParsedResponse {
  const end = headerEnd(data);
  if (end < 0) return { ok: false, reason: data.length === 0 ? 'empty response' : 'incomplete HTTP header' };
  const lines = data.subarray(0, end).toString('latin1').split(/\r?\n/);
  const statusLine = /^HTTP\/\d+\.\d+\s+(\d{3})(?:\s|$)/.exec(lines[0] ?? '');
  if (!statusLine) return { ok: false, reason: `bad status line ${JSON.stringify((lines[0] ?? '').slice(0, 80))}` };
  const headers = new Map<string, string>();
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return { ok: true, response: { status: Number(statusLine[1]), headers, body: data.subarray(end) } };
}

/**
 * Total bytes of the response once its header has arrived: header + Content-Length, or Infinity
 * without Content-Length (read until the server closes). Undefined while the header is incomplete.
 */
export function expectedResponseSize(data: Buffer): number | undefined {
  const end = headerEnd(data);
  if (end < 0) return undefined;
  const match = /\r?\ncontent-length:\s*(\d+)/i.exec(data.subarray(0, end).toString('latin1'));
  return match ? end + Number(match[1]) : Number.POSITIVE_INFINITY;
}

export function statusAccepted(status: number, ranges: readonly StatusRange[] = DEFAULT_STATUS_CODES): boolean {
  return ranges.some((range) => status >= range.from && status <= range.to);
}

export function formatStatusRanges(ranges: readonly StatusRange[]): string {
  return ranges.map((r) => (r.from === r.to ? `${r.from}` : `${r.from}-${r.to}`)).join(' ');
}

/** Parses keepalived's status_code arguments ("200", "200-299"); null for a malformed one. */
export function parseStatusRanges(words: readonly string[]): StatusRange[] | null {
  const ranges: StatusRange[] = [];
  for (const word of words) {
    const match = /^(\d{3})(?:-(\d{3}))?$/.exec(word);
    if (!match) return null;
    const from = Number(match[1]);
    const to = match[2] === undefined ? from : Number(match[2]);
    if (to < from) return null;
    ranges.push({ from, to });
  }
  return ranges;
}
