// PING_CHECK: one ICMP (or ICMPv6) echo request from a raw socket; up when the matching echo
// reply arrives within connect_timeout, down on timeout or an ICMP error about it. Raw sockets
// need root (the checker process runs as root, like keepalived's).
import net from 'node:net';
import { randomBytes, randomInt } from 'node:crypto';
import {
  AF_INET,
  AF_INET6,
  IPPROTO_ICMP,
  IPPROTO_ICMPV6,
  SOCK_RAW,
  SOL_SOCKET,
  Socket,
  sockaddrIn,
  sockaddrIn6,
} from '../sys/index.js';
import { runBounded, errorReason } from './bounded.js';
import { SO_MARK } from './check-socket.js';
import { buildEchoRequest, readIcmp } from './icmp-echo.js';
import type { CheckResult, PingCheckSpec, RealServerTarget } from './types.js';

const PAYLOAD_BYTES = 16;

export function checkPing(spec: PingCheckSpec, target: RealServerTarget, signal: AbortSignal): Promise<CheckResult> {
  const host = spec.connectIp ?? target.address;
  const ipv6 = net.isIPv6(host);
  const id = randomInt(0, 0x10000);
  const sequence = randomInt(0, 0x10000);
  const address = (a: string): Buffer => (ipv6 ? sockaddrIn6(a) : sockaddrIn(a));
  return runBounded(spec.connectTimeoutMs, signal, (settle) => {
    const socket = Socket.open(ipv6 ? AF_INET6 : AF_INET, SOCK_RAW, ipv6 ? IPPROTO_ICMPV6 : IPPROTO_ICMP);
    try {
      if (spec.fwmark !== undefined) socket.setOption(SOL_SOCKET, SO_MARK, spec.fwmark);
      if (spec.bindInterface !== undefined) socket.bindToDevice(spec.bindInterface);
      if (spec.bindTo !== undefined) socket.bind(address(spec.bindTo));
      // A connected raw socket only receives packets from the target.
      socket.connect(address(host));
      socket.startReceiving(
        { maxLength: 1500 },
        (message) => {
          const reading = readIcmp(ipv6, message.data);
          if (reading.kind === 'other' || reading.id !== id || reading.sequence !== sequence) return;
          if (reading.kind === 'reply') settle(true, 'echo reply');
          else settle(false, `ICMP error type ${reading.type} code ${reading.code}`);
        },
        (error) => settle(false, errorReason(error)),
      );
      if (!socket.send(buildEchoRequest(ipv6, id, sequence, randomBytes(PAYLOAD_BYTES)))) settle(false, 'send buffer full');
    } catch (error) {
      settle(false, errorReason(error));
    }
    return () => socket.close();
  });
}
