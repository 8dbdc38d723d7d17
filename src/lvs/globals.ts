// global_defs keywords that act on IPVS as a whole rather than on one virtual server:
// lvs_timeouts [tcp S] [tcpfin S] [udp S] and lvs_flush (lvs_sync_daemon, which the VRRP process
// runs, is in sync-daemon.ts). Pure.
import type { Settings } from '../config/model.js';
import type { IpvsTimeouts } from '../ipvs/types.js';

export interface LvsGlobals {
  /** Timeouts to set at start; the ones not given are left as the kernel has them. */
  readonly timeouts: Partial<IpvsTimeouts> | null;
  /** Flush the whole IPVS table at start. */
  readonly flushAtStart: boolean;
}

export function lvsGlobals(settings: Settings): LvsGlobals {
  return {
    timeouts: timeouts(words(settings['lvs_timeouts'])),
    flushAtStart: settings['lvs_flush'] !== undefined,
  };
}

function words(value: unknown): string[] | undefined {
  if (value === undefined) return undefined;
  if (Array.isArray(value)) return value.map(String);
  return typeof value === 'string' ? value.split(/\s+/) : [];
}

function timeouts(given: string[] | undefined): Partial<IpvsTimeouts> | null {
  if (!given) return null;
  const result: { -readonly [K in keyof IpvsTimeouts]?: number } = {};
  const names: Record<string, keyof IpvsTimeouts> = { tcp: 'tcp', tcpfin: 'tcpFin', udp: 'udp' };
  for (let i = 0; i + 1 < given.length; i += 2) {
    const name = names[given[i]!];
    const seconds = Number(given[i + 1]);
    if (name && Number.isInteger(seconds) && seconds >= 0) result[name] = seconds;
  }
  return Object.keys(result).length > 0 ? result : null;
}
