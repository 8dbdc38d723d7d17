// UDP_CHECK: send the payload on a connected UDP socket (by default the 32 bytes keepalived 2.2.7
// was measured sending: "keepalived check - " repeated; its man page says random). An ICMP error
// (port/host/net unreachable, seen as ECONNREFUSED/EHOSTUNREACH/ENETUNREACH) means down. With
// require_reply a reply of min..max_reply_length bytes matching the pattern must arrive within
// connect_timeout; without it, silence until the timeout means up.
import { runBounded, errorReason } from './bounded.js';
import { bindDatagram } from './check-socket.js';
import { endpointOf } from './connect-options.js';
import { matchesHexPattern } from './hex-string.js';
import type { CheckResult, RealServerTarget, UdpCheckSpec } from './types.js';

const DEFAULT_MAX_REPLY_LENGTH = 255;
export const DEFAULT_UDP_PAYLOAD: Buffer = Buffer.from('keepalived check - '.repeat(2).slice(0, 32), 'latin1');

export async function checkUdp(spec: UdpCheckSpec, target: RealServerTarget, signal: AbortSignal): Promise<CheckResult> {
  const endpoint = endpointOf(spec, target);
  const silenceMeansUp = spec.requireReply === undefined;
  const result = await runBounded(
    spec.connectTimeoutMs,
    signal,
    (settle) => {
      const socket = bindDatagram(endpoint, (bound) => {
        // A connect that fails at once (ENETUNREACH: no route) comes to this callback, not to 'error'.
        bound.connect(endpoint.port, endpoint.host, (error?: Error) => (error ? settle(false, errorReason(error)) : bound.send(spec.payload ?? DEFAULT_UDP_PAYLOAD)));
      });
      socket.on('error', (error) => settle(false, errorReason(error)));
      socket.on('message', (reply) => {
        const verdict = judgeUdpReply(spec, reply);
        settle(verdict === null, verdict ?? `reply of ${reply.length} bytes`);
      });
      return () => socket.close();
    },
    silenceMeansUp ? 'no reply and no ICMP error' : `no reply within ${spec.connectTimeoutMs} ms`,
  );
  if (silenceMeansUp && result.reason === 'no reply and no ICMP error') return { ...result, ok: true };
  return result;
}

/** Why a reply is unacceptable, or null when it is fine. */
export function judgeUdpReply(spec: UdpCheckSpec, reply: Uint8Array): string | null {
  if (spec.requireReply === undefined) return null;
  const min = spec.minReplyLength ?? 0;
  const max = spec.maxReplyLength ?? DEFAULT_MAX_REPLY_LENGTH;
  if (reply.length < min || reply.length > max) return `reply length ${reply.length} outside ${min}..${max}`;
  const pattern = spec.requireReply.pattern;
  if (pattern !== undefined && !matchesHexPattern(reply, pattern)) return 'reply does not match require_reply';
  return null;
}
