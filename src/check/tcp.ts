// TCP_CHECK: up when a TCP connection to the real server completes within connect_timeout.
import { runBounded, errorReason } from './bounded.js';
import { connectStream } from './check-socket.js';
import { endpointOf } from './connect-options.js';
import type { CheckResult, RealServerTarget, TcpCheckSpec } from './types.js';

export function checkTcp(spec: TcpCheckSpec, target: RealServerTarget, signal: AbortSignal): Promise<CheckResult> {
  return runBounded(spec.connectTimeoutMs, signal, (settle) => {
    const socket = connectStream(endpointOf(spec, target));
    socket.once('connect', () => settle(true, 'connected'));
    socket.once('error', (error) => settle(false, errorReason(error)));
    return () => socket.destroy();
  });
}
