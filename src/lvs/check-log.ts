// keepalived-like log lines for checker outcomes (pure): keepalived 2.2.7 writes e.g.
// "TCP connection to [10.0.0.2]:tcp:80 success." and "HTTP_CHECK on service [10.0.0.2]:tcp:80
// failed after 1 retry." when a real server changes state; we keep that shape so log watchers
// written for keepalived still match.
import type { CheckerKind } from '../check/types.js';

/** "[10.0.0.2]:tcp:80": keepalived's spelling of a checked endpoint. */
export function checkedEndpoint(address: string, port: number, protocol = 'tcp'): string {
  return `[${address}]:${protocol}:${port}`;
}

export function healthChangeLine(kind: CheckerKind | undefined, endpoint: string, up: boolean, reason: string): string {
  if (kind === 'TCP_CHECK') return `TCP connection to ${endpoint} ${up ? 'success' : 'failed'}.`;
  const name = kind === undefined ? 'Check' : kind === 'HTTP_GET' || kind === 'SSL_GET' ? 'HTTP_CHECK' : kind;
  return `${name} on service ${endpoint} ${up ? 'success' : 'failed'}${up ? '' : ` (${reason})`}.`;
}
