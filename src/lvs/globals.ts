// global_defs keywords that act on IPVS as a whole rather than on one virtual server:
// lvs_timeouts [tcp S] [tcpfin S] [udp S], lvs_flush, lvs_flush_on_stop and
// lvs_sync_daemon IF [inst] VRRP_INSTANCE [id N] [maxlen N] [port N] [ttl N] [group IP]. Pure.
import type { Settings } from '../config/model.js';
import type { IpvsTimeouts, SyncDaemon } from '../ipvs/types.js';

export interface LvsGlobals {
  /** Timeouts to set at start; the ones not given are left as the kernel has them. */
  readonly timeouts: Partial<IpvsTimeouts> | null;
  /** Flush the whole IPVS table at start. */
  readonly flushAtStart: boolean;
  /** The sync daemon's settings (its state follows the VRRP instance it names). */
  readonly syncDaemon: (Omit<SyncDaemon, 'state'> & { readonly vrrpInstance?: string }) | null;
}

export function lvsGlobals(settings: Settings): LvsGlobals {
  return {
    timeouts: timeouts(words(settings['lvs_timeouts'])),
    flushAtStart: settings['lvs_flush'] !== undefined,
    syncDaemon: syncDaemon(words(settings['lvs_sync_daemon'])),
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

function syncDaemon(given: string[] | undefined): LvsGlobals['syncDaemon'] {
  if (!given || given.length === 0) return null;
  const [iface, ...rest] = given as [string, ...string[]];
  let vrrpInstance: string | undefined;
  const numbers: { syncId: number; maxLength?: number; port?: number; ttl?: number } = { syncId: 0 };
  let group: string | undefined;
  for (let i = 0; i < rest.length; i++) {
    const word = rest[i]!;
    const next = rest[i + 1];
    if (word === 'inst' && next !== undefined) vrrpInstance = rest[++i];
    else if (word === 'id' && next !== undefined) numbers.syncId = Number(rest[++i]) || 0;
    else if (word === 'maxlen' && next !== undefined) numbers.maxLength = Number(rest[++i]);
    else if (word === 'port' && next !== undefined) numbers.port = Number(rest[++i]);
    else if (word === 'ttl' && next !== undefined) numbers.ttl = Number(rest[++i]);
    else if (word === 'group' && next !== undefined) group = rest[++i];
    else if (vrrpInstance === undefined) vrrpInstance = word;
  }
  return { interface: iface, ...numbers, ...(group !== undefined && { group }), ...(vrrpInstance !== undefined && { vrrpInstance }) };
}
