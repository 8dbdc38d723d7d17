// DNS_CHECK: one query over UDP (type, default SOA, for name, default the root) to port 53
// unless connect_port says otherwise; up when a matching NOERROR answer arrives in time.
import dgram from 'node:dgram';
import net from 'node:net';
import { randomInt } from 'node:crypto';
import { runBounded, errorReason } from './bounded.js';
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
    const socket = dgram.createSocket(net.isIPv6(endpoint.host) ? 'udp6' : 'udp4');
    socket.on('error', (error) => settle(false, errorReason(error)));
    socket.on('message', (reply, from) => {
      if (from.port !== endpoint.port) return;
      const verdict = judgeDnsReply(reply, id, name, type);
      settle(verdict.ok, verdict.ok ? `${verdict.answers} answer(s)` : verdict.reason);
    });
    socket.bind({ port: endpoint.localPort ?? 0, ...(endpoint.localAddress !== undefined ? { address: endpoint.localAddress } : {}) }, () => {
      socket.send(buildDnsQuery(id, name, type), endpoint.port, endpoint.host);
    });
    return () => socket.close();
  });
}
