// From the typed keepalived Config (config/model.ts) to what the VRRP core and runtime run: the
// reducer's InstanceConfig and the runtime's RuntimeInstanceSpec per vrrp_instance. Pure: the
// interface's own address is not looked up here (the runtime resolves it when it starts).
import type { AddressSpec, Config, GlobalDefs, RouteSpec, RuleSpec, Settings, VrrpInstance } from '../config/model.js';
import type { RouteSpec as NetlinkRouteSpec, TableRef } from '../netlink/route/route.js';
import type { RuleSpec as NetlinkRuleSpec } from '../netlink/route/rule.js';
import type { InstanceDefinition, RuntimeInstanceSpec, VirtualAddress } from './runtime/spec.js';
import type { GarpConfig, InstanceConfig } from './types.js';

const MS_PER_SECOND = 1000;

/** Every vrrp_instance of the config that can run: it has an interface and a VRID (the config layer reported the others). */
export function instanceDefinitions(config: Config): InstanceDefinition[] {
  const groupOf = new Map<string, string>();
  for (const group of config.vrrpSyncGroups) for (const member of group.members) groupOf.set(member, group.name);
  return config.vrrpInstances
    .filter((instance) => instance.interface !== undefined && instance.virtualRouterId !== undefined)
    .map((instance) => {
      const group = groupOf.get(instance.name);
      return {
        config: reducerConfig(instance, config.global),
        spec: runtimeSpec(instance, config.global),
        ...(group === undefined ? {} : { syncGroup: group }),
      };
    });
}

function setting(settings: Settings, name: string): number | undefined {
  const value = settings[name];
  return typeof value === 'number' ? value : undefined;
}

function booleanSetting(settings: Settings, name: string): boolean | undefined {
  const value = settings[name];
  if (value === null) return true; // given without an argument
  return typeof value === 'boolean' ? value : undefined;
}

export function reducerConfig(instance: VrrpInstance, global: GlobalDefs): InstanceConfig {
  const s = instance.settings;
  const g = global.settings;
  // Measured (keepalived 2.2.7 -> SIGUSR1 dump): the lower-priority burst defaults to the *global*
  // vrrp_garp_master_delay/_repeat (5/5), not to the instance's own garp_master_* settings.
  const lowerPrioRepeat = setting(s, 'garp_lower_prio_repeat') ?? setting(g, 'vrrp_garp_lower_prio_repeat') ?? global.vrrpGarpMasterRepeat;
  const lowerPrioDelay = setting(s, 'garp_lower_prio_delay') ?? setting(g, 'vrrp_garp_lower_prio_delay') ?? global.vrrpGarpMasterDelay;
  const garp: GarpConfig = {
    masterRepeat: instance.garp.masterRepeat,
    masterDelayMs: instance.garp.masterDelay * MS_PER_SECOND,
    masterRefreshMs: instance.garp.masterRefresh * MS_PER_SECOND,
    masterRefreshRepeat: instance.garp.masterRefreshRepeat,
    lowerPrioRepeat,
    lowerPrioDelayMs: lowerPrioDelay * MS_PER_SECOND,
  };
  return {
    name: instance.name,
    vrid: instance.virtualRouterId ?? 0,
    version: instance.version,
    family: instance.family === 'inet6' ? 'ipv6' : 'ipv4',
    basePriority: instance.priority,
    advertIntervalMs: Math.round(instance.advertInterval * MS_PER_SECOND),
    preempt: instance.preempt,
    preemptDelayMs: Math.round(instance.preemptDelay * MS_PER_SECOND),
    initialState: instance.initialState,
    primaryAddress: instance.unicastSourceIp ?? instance.mcastSourceIp ?? '',
    downTimerAdverts: setting(s, 'down_timer_adverts') ?? setting(g, 'vrrp_down_timer_adverts') ?? 3,
    lowerPrioNoAdvert: booleanSetting(s, 'lower_prio_no_advert') ?? booleanSetting(g, 'vrrp_lower_prio_no_advert') ?? false,
    higherPrioSendAdvert: booleanSetting(s, 'higher_prio_send_advert') ?? booleanSetting(g, 'vrrp_higher_prio_send_advert') ?? false,
    garp,
  };
}

export function runtimeSpec(instance: VrrpInstance, global: GlobalDefs): RuntimeInstanceSpec {
  const baseInterface = instance.interface ?? global.defaultInterface;
  const vmacName = instance.useVmac === undefined ? undefined : vmacInterfaceName(instance.useVmac, instance.virtualRouterId ?? 0, vmacPrefix(global));
  const interfaceName = vmacName ?? baseInterface;
  const address = (spec: AddressSpec): VirtualAddress => virtualAddress(spec, interfaceName);
  // Authentication exists only in version 2 (keepalived ignores it for v3).
  const authentication = instance.version === 2 ? instance.authentication : undefined;
  const password = authentication === undefined ? undefined : authentication.password ?? '';
  const v3AsV2 = booleanSetting(instance.settings, 'v3_checksum_as_v2') ?? booleanSetting(global.settings, 'v3_checksum_as_v2') ?? false;
  const source = instance.unicastSourceIp ?? instance.mcastSourceIp;
  return {
    name: instance.name,
    interfaceName,
    ...(vmacName === undefined ? {} : { vmac: { name: vmacName }, baseInterfaceName: baseInterface }),
    ...(vmacName !== undefined && (instance.settings['vmac_xmit_base'] !== undefined || instance.unicastPeers.length > 0) ? { vmacXmitBase: true } : {}),
    unicastPeers: instance.unicastPeers.map((peer) => peer.address),
    ...(instance.settings['dont_track_primary'] !== undefined ? { ignorePrimaryLink: true } : {}),
    ...(instance.settings['unicast_fault_no_peer'] !== undefined && instance.unicastPeers.length === 0 ? { faultWithoutPeers: true } : {}),
    ...(source === undefined ? {} : { sourceAddress: source }),
    checkUnicastSource: global.vrrpCheckUnicastSrc || instance.settings['check_unicast_src'] !== undefined,
    multicastGroup: instance.family === 'inet6' ? global.vrrpMcastGroup6 : global.vrrpMcastGroup4,
    ...(password === undefined ? {} : { password }),
    ...(authentication?.type === 'AH' ? { ahAuthentication: true } : {}),
    v3ChecksumAsV2: v3AsV2,
    virtualAddresses: instance.noVirtualIpaddress ? [] : instance.virtualAddresses.map(address),
    excludedAddresses: instance.excludedAddresses.map(address),
    virtualRoutes: instance.virtualRoutes.map((route) => virtualRoute(route, interfaceName)),
    virtualRules: instance.virtualRules.map(virtualRule),
  };
}

/** `use_vmac [[name] NAME] [MAC] [netlink_notify_msg] [group ID]`: the macvlan's name, keepalived's vrrp.VRID by default. */
/**
 * The VMAC's name: given with use_vmac, else PREFIX.VRID (global vmac_prefix, default vrrp), the
 * prefix cut so that the name fits an interface name's 15 characters (measured on 2.2.7:
 * prefix averyveryverylongprefix, VRID 76 -> averyveryver.76).
 */
function vmacInterfaceName(words: readonly string[], vrid: number, prefix: string): string {
  if (words[0] === 'name' && words[1] !== undefined) return words[1];
  const first = words[0];
  const isOption = first === undefined || first === 'netlink_notify_msg' || first === 'group' || first.includes(':');
  const suffix = `.${vrid}`;
  return isOption ? `${prefix.slice(0, MAX_INTERFACE_NAME - suffix.length)}${suffix}` : first;
}

/** IFNAMSIZ less the terminating NUL. */
const MAX_INTERFACE_NAME = 15;

function vmacPrefix(global: GlobalDefs): string {
  const prefix = global.settings['vmac_prefix'];
  return typeof prefix === 'string' && prefix !== '' ? prefix : 'vrrp';
}

function virtualAddress(spec: AddressSpec, interfaceName: string): VirtualAddress {
  const flags = new Set(spec.flags);
  return {
    link: spec.dev ?? interfaceName,
    address: spec.address.split('%')[0]!,
    prefixLength: spec.prefixLength,
    ...(spec.peer === undefined ? {} : { peer: spec.peer }),
    ...(spec.broadcast === undefined ? {} : { broadcast: spec.broadcast === '+' ? 'auto' : spec.broadcast }),
    ...(spec.scope === undefined ? {} : { scope: spec.scope as VirtualAddress['scope'] & string }),
    ...(spec.label === undefined ? {} : { label: spec.label }),
    ...(flags.has('-nodad') || spec.family === 'inet6' ? { nodad: true } : {}),
    ...(flags.has('noprefixroute') ? { noprefixroute: true } : {}),
    ...(flags.has('home') ? { homeAddress: true } : {}),
    ...(flags.has('autojoin') ? { autoJoin: true } : {}),
  };
}

function table(text: string | undefined): TableRef | undefined {
  if (text === undefined) return undefined;
  if (text === 'main' || text === 'local' || text === 'default') return text;
  const number = Number(text);
  return Number.isInteger(number) ? number : undefined;
}

function virtualRoute(route: RouteSpec, interfaceName: string): NetlinkRouteSpec {
  const tableRef = table(route.table);
  return {
    destination: route.destination === 'default' ? 'default' : `${route.destination}/${route.prefixLength}`,
    family: route.family,
    ...(route.via === undefined ? {} : { gateway: route.via }),
    ...(route.src === undefined ? {} : { preferredSource: route.src }),
    ...(route.dev !== undefined ? { dev: route.dev } : route.via === undefined ? { dev: interfaceName } : {}),
    ...(tableRef === undefined ? {} : { table: tableRef }),
    ...(route.metric === undefined ? {} : { metric: route.metric }),
    ...(route.type === undefined ? {} : { type: route.type as NonNullable<NetlinkRouteSpec['type']> }),
  };
}

function virtualRule(rule: RuleSpec): NetlinkRuleSpec {
  const tableRef = table(rule.table);
  return {
    ...(rule.family === undefined ? {} : { family: rule.family }),
    ...(rule.from === undefined ? {} : { from: rule.from }),
    ...(rule.to === undefined ? {} : { to: rule.to }),
    ...(tableRef === undefined ? {} : { table: tableRef }),
    ...(rule.preference === undefined ? {} : { priority: rule.preference }),
  };
}
