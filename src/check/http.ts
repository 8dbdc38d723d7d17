// HTTP_GET and SSL_GET: for each url block, connect (TLS for SSL_GET, certificates never
// verified, as keepalived), send keepalived's GET, read the response and check the status code,
// the MD5 digest of the raw body and the regex. All urls must pass; the first failure is reported.
// Raw sockets rather than node:http so that the request and the hashed body are byte-exact.
import { createHash } from 'node:crypto';
import net from 'node:net';
import tls from 'node:tls';
import { runBounded, errorReason } from './bounded.js';
import { connectStream } from './check-socket.js';
import { endpointOf } from './connect-options.js';
import { regexFinds } from './regex-match.js';
import {
  buildHttpRequest,
  defaultHostHeader,
  formatStatusRanges,
  parseHttpResponse,
  expectedResponseSize,
  statusAccepted,
  DEFAULT_STATUS_CODES,
} from './http-message.js';
import type { CheckResult, HttpCheckSpec, HttpUrlSpec, RealServerTarget } from './types.js';

/** Largest response kept; keepalived also stops reading big bodies (digests of huge pages are a misuse). */
const MAX_RESPONSE_BYTES = 4 * 1024 * 1024;

export async function checkHttp(spec: HttpCheckSpec, target: RealServerTarget, signal: AbortSignal): Promise<CheckResult> {
  const startedAt = performance.now();
  let last: CheckResult | undefined;
  for (const url of spec.urls) {
    last = await checkUrl(spec, url, target, signal);
    if (!last.ok) return { ...last, latencyMs: performance.now() - startedAt };
  }
  return { ok: true, reason: last ? last.reason : 'no url to check', latencyMs: performance.now() - startedAt };
}

function checkUrl(spec: HttpCheckSpec, url: HttpUrlSpec, target: RealServerTarget, signal: AbortSignal): Promise<CheckResult> {
  return fetchRaw(spec, url, target, signal).then(({ result, data }) => {
    if (!result.ok || data === undefined) return result;
    const verdict = judgeResponse(url, data);
    return { ...result, ok: verdict.ok, reason: verdict.reason };
  });
}

export function judgeResponse(url: HttpUrlSpec, data: Buffer): { ok: boolean; reason: string } {
  const parsed = parseHttpResponse(data);
  if (!parsed.ok) return { ok: false, reason: `${url.path}: ${parsed.reason}` };
  const { status, body } = parsed.response;
  const ranges = url.statusCodes ?? DEFAULT_STATUS_CODES;
  if (!statusAccepted(status, ranges)) return { ok: false, reason: `${url.path}: status ${status} not in ${formatStatusRanges(ranges)}` };
  if (url.digest !== undefined) {
    const digest = bodyDigest(body);
    if (digest !== url.digest.toLowerCase()) return { ok: false, reason: `${url.path}: digest ${digest} != ${url.digest}` };
  }
  if (url.regex !== undefined) {
    const regex = safeRegex(url.regex, url.regexFlags ?? '');
    // With PCRE2's utf option the body is UTF-8 text; otherwise bytes, one character each.
    const subject = body.toString(regex?.flags.includes('u') ? 'utf8' : 'latin1');
    const matched = regex !== undefined && regexFinds(regex, subject, url.regexMinOffset, url.regexMaxOffset);
    if (matched === Boolean(url.regexNoMatch)) {
      return { ok: false, reason: `${url.path}: body ${matched ? 'matches' : 'does not match'} regex` };
    }
  }
  return { ok: true, reason: `${url.path}: status ${status}` };
}

export function bodyDigest(body: Uint8Array): string {
  return createHash('md5').update(body).digest('hex');
}

function safeRegex(source: string, flags: string): RegExp | undefined {
  try {
    return new RegExp(source, flags);
  } catch {
    return undefined;
  }
}

export interface RawFetch {
  readonly result: CheckResult;
  /** Bytes received (header and body) when the exchange finished. */
  readonly data?: Buffer;
}

/** One GET over a fresh connection; shared with genhash. */
export function fetchRaw(spec: HttpCheckSpec, url: HttpUrlSpec, target: RealServerTarget, signal: AbortSignal): Promise<RawFetch> {
  const host = spec.connectIp ?? target.address;
  const port = spec.connectPort ?? target.port;
  const virtualhost = url.virtualhost ?? spec.virtualhost;
  const request = buildHttpRequest(url.path, virtualhost ?? defaultHostHeader(host, port), spec.httpProtocol);
  let data: Buffer | undefined;
  return runBounded(spec.connectTimeoutMs, signal, (settle) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (): void => {
      data = Buffer.concat(chunks, size);
      settle(true, 'response received');
    };
    const socket =
      spec.kind === 'SSL_GET'
        ? tls.connect({
            socket: connectStream(endpointOf(spec, target)),
            rejectUnauthorized: false,
            ...sniOption(spec, virtualhost),
            ...(spec.tls?.ca !== undefined ? { ca: spec.tls.ca } : {}),
            ...(spec.tls?.certificate !== undefined ? { cert: spec.tls.certificate } : {}),
            ...(spec.tls?.key !== undefined ? { key: spec.tls.key } : {}),
            ...(spec.tls?.password !== undefined ? { passphrase: spec.tls.password } : {}),
          })
        : connectStream(endpointOf(spec, target));
    socket.once(spec.kind === 'SSL_GET' ? 'secureConnect' : 'connect', () => socket.write(request));
    // Bytes of a complete response once its header (with Content-Length) has arrived.
    let expectedSize: number | undefined;
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      size += chunk.length;
      if (size > MAX_RESPONSE_BYTES) return settle(false, `response larger than ${MAX_RESPONSE_BYTES} bytes`);
      expectedSize ??= expectedResponseSize(Buffer.concat(chunks, size));
      if (expectedSize !== undefined && size >= expectedSize) finish();
    });
    socket.on('end', finish);
    socket.on('error', (error) => settle(false, errorReason(error)));
    return () => socket.destroy();
  }).then((result) => (data === undefined ? { result } : { result, data }));
}

function sniOption(spec: HttpCheckSpec, virtualhost: string | undefined): { servername?: string } {
  if (!spec.enableSni) return {};
  const name = spec.sniName ?? virtualhost;
  return name !== undefined && net.isIP(name) === 0 ? { servername: name } : {};
}
