// DNS_CHECK: one query over UDP (type, default SOA, for name, default the root) to port 53
// unless connect_port says otherwise; up when a matching NOERROR answer arrives in time.
import { randomInt } from 'node:crypto';
import { runBounded, errorReason } from './bounded.js';
import { bindDatagram } from './check-socket.js';
import { endpointOf } from './connect-options.js';
import { buildDnsQuery, judgeDnsReply } from './dns-message.js';
import type { CheckResult, DnsCheckSpec, RealServerTarget } from './types.js';

const DNS_PORT = 53;

export function checkDns(spec: DnsCheckSpec, target: RealServerTarget, signal: AbortSignal): Promise<CheckResult> {
  const type = spec.type ?? 'SOA';
  const name = spec.name ?? '.';
  const endpoint = endpointOf(spec, target, DNS_PORT);
  const id = randomInt(0, 0x10000);
  return runBounded(spec.connectTimeoutMs, signal, (settle) => {
    const socket = bindDatagram(endpoint, (bound) => bound.send(buildDnsQuery(id, name, type), endpoint.port, endpoint.host));
    socket.on('error', (error) => settle(false, errorReason(error)));
    socket.on('message', (reply, from) => {
      if (from.port !== endpoint.port) return;
      const verdict = judgeDnsReply(reply, id, name, type);
      settle(verdict.ok, verdict.ok ? `${verdict.answers} answer(s)` : verdict.reason);
    });
    return () => socket.close();
  });
}
