// Whether this kernel has IPVS (the real-server scenario and the daemons' checkers need it).
import { existsSync } from 'node:fs';

export function ipvsAvailable(): boolean {
  return existsSync('/proc/net/ip_vs');
}
