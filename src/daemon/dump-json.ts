// The JSON dump (keepalived's SIGFUNC=JSON, /tmp/keepalived.json), pure: an array with one
// { data, stats } object per vrrp_instance, using keepalived 2.2.7's field names and encodings
// (state as a number, last_transition as epoch seconds, VIPs as "ADDR/LEN dev IF scope S[ set]")
// for the fields keepalived-ts has, so exporters written for keepalived keep working. The names
// were read from a dump written by Debian's keepalived 2.2.7 (test/fixtures/daemon-ops/).
// Fields keepalived-ts has no value for are left out rather than invented.
import type { RuntimeStats } from '../vrrp/runtime/runtime.js';
import type { InstanceDefinition } from '../vrrp/runtime/spec.js';
import type { VrrpStateName } from '../vrrp/types.js';
import type { StatusClock } from './status-model.js';

/** keepalived's numeric states (VRRP_STATE_*); STOP is what it reports for a stopping instance. */
export const KEEPALIVED_STATE_NUMBERS: Readonly<Record<VrrpStateName, number>> = { INIT: 0, BACKUP: 1, MASTER: 2, FAULT: 3, STOP: 98 };

export interface KeepalivedJsonEntry {
  readonly data: Readonly<Record<string, string | number | boolean | readonly string[]>>;
  readonly stats: Readonly<Record<string, number>>;
}

/** keepalived's stats names, and the drop reasons of ours each one sums. */
const DROP_STATS: Readonly<Record<string, readonly string[]>> = {
  packet_len_err: ['truncated', 'bad-length', 'bad-ip-header'],
  advert_interval_err: ['interval-mismatch', 'bad-interval'],
  ip_ttl_err: ['bad-ttl'],
  invalid_type_rcvd: ['bad-type'],
  addr_list_err: ['address-count-mismatch', 'address-list-mismatch'],
  invalid_authtype: ['unknown-auth-type'],
  authtype_mismatch: ['auth-type-mismatch'],
  // keepalived counts an AH advert whose sequence number is not above the last one as an
  // authentication failure too (a replay is a forged advert as far as AH is concerned).
  auth_failure: ['auth-mismatch', 'ah-replayed-sequence'],
};

export function keepalivedJsonDump(
  stats: RuntimeStats,
  definitions: ReadonlyMap<string, InstanceDefinition>,
  clock: StatusClock,
): KeepalivedJsonEntry[] {
  const entries: KeepalivedJsonEntry[] = [];
  for (const [name, s] of Object.entries(stats.instances)) {
    const definition = definitions.get(name);
    const config = definition?.config;
    const spec = definition?.spec;
    const installed = s.state === 'MASTER';
    const data: Record<string, string | number | boolean | readonly string[]> = {
      iname: name,
      vmac_ifname: spec?.vmac?.name ?? '',
      ifp_ifname: spec?.baseInterfaceName ?? s.interfaceName,
      vrid: s.vrid,
      base_priority: s.basePriority,
      effective_priority: s.effectivePriority,
      state: KEEPALIVED_STATE_NUMBERS[s.state],
      vipset: installed,
      vips: (spec?.virtualAddresses ?? []).map((vip) => vipText(vip.address, vip.prefixLength, vip.link, vip.scope, installed)),
    };
    if (s.lastTransition !== undefined) data['last_transition'] = (clock.wallMs - (clock.monotonicMs - s.lastTransition.at)) / 1000;
    if (config !== undefined) {
      data['version'] = config.version;
      data['adver_int'] = config.advertIntervalMs / 1000;
      data['nopreempt'] = !config.preempt;
      data['preempt_delay'] = config.preemptDelayMs / 1000;
      data['lower_prio_no_advert'] = config.lowerPrioNoAdvert ? 1 : 0;
      data['higher_prio_send_advert'] = config.higherPrioSendAdvert ? 1 : 0;
      data['garp_delay'] = config.garp.masterDelayMs / 1000;
      data['garp_refresh'] = config.garp.masterRefreshMs / 1000;
      data['garp_rep'] = config.garp.masterRepeat;
      data['garp_refresh_rep'] = config.garp.masterRefreshRepeat;
      data['garp_lower_prio_delay'] = config.garp.lowerPrioDelayMs / 1000;
      data['garp_lower_prio_rep'] = config.garp.lowerPrioRepeat;
    }
    if (spec !== undefined) data['auth_type'] = spec.ahAuthentication ? 2 : spec.password === undefined ? 0 : 1;
    const drop = (reasons: readonly string[]): number => reasons.reduce((sum, r) => sum + ((s.drops as Record<string, number | undefined>)[r] ?? 0), 0);
    const entryStats: Record<string, number> = {
      advert_rcvd: s.advertsReceived,
      advert_sent: s.advertsSent,
      ...Object.fromEntries(Object.entries(DROP_STATS).map(([key, reasons]) => [key, drop(reasons)])),
      become_master: s.becameMaster,
      release_master: s.releasedMaster,
      pri_zero_rcvd: s.priorityZeroReceived,
      pri_zero_sent: s.priorityZeroSent,
    };
    entries.push({ data, stats: entryStats });
  }
  return entries;
}

function vipText(address: string, prefixLength: number | undefined, link: string, scope: string | number | undefined, installed: boolean): string {
  const withPrefix = address.includes('/') ? address : `${address}/${prefixLength ?? (address.includes(':') ? 128 : 32)}`;
  return `${withPrefix} dev ${link} scope ${scope ?? 'global'}${installed ? ' set' : ''}`;
}
