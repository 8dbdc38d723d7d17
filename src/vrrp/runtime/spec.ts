// What the VRRP runtime needs to know about one vrrp_instance beyond the reducer's InstanceConfig:
// where it speaks (interface, family, multicast or unicast peers), what it owns while MASTER
// (VIPs, excluded VIPs, virtual routes and rules, already in rtnetlink's shapes) and how adverts
// are authenticated. Plain data, built from the typed Config by ../instance-config.ts.
import type { AddressSpec as NetlinkAddressSpec } from '../../netlink/route/address.js';
import type { RouteSpec as NetlinkRouteSpec } from '../../netlink/route/route.js';
import type { RuleSpec as NetlinkRuleSpec } from '../../netlink/route/rule.js';
import type { InstanceConfig } from '../types.js';

/** A VIP as rtnetlink takes it; `link` is the interface name (the instance's unless `dev` said otherwise). */
export type VirtualAddress = NetlinkAddressSpec & { readonly link: string };

export interface RuntimeInstanceSpec {
  readonly name: string;
  /** The interface adverts are sent and received on (the VMAC interface when use_vmac). */
  readonly interfaceName: string;
  /** use_vmac: a macvlan of `interfaceName` with the RFC virtual MAC, named like keepalived's (vrrp.VRID). */
  readonly vmac?: { readonly name: string };
  /** With use_vmac: the interface the macvlan sits on (whose link state counts). */
  readonly baseInterfaceName?: string;
  /**
   * use_vmac with vmac_xmit_base: adverts are sent and received on the base interface (its own
   * MAC) while the VIPs and their GARPs stay on the VMAC. keepalived forces it for unicast peers
   * (measured: "unicast with use_vmac requires vmac_xmit_base - setting"): a unicast advert is
   * addressed to the peer's own address, which lives on its base interface.
   */
  readonly vmacXmitBase?: boolean;
  /** unicast_fault_no_peer with no usable unicast peer: the instance stays in FAULT. */
  readonly faultWithoutPeers?: boolean;
  /** dont_track_primary: the instance's own interface (and a VMAC's base) going down is no fault. */
  readonly ignorePrimaryLink?: boolean;
  /** unicast_peer addresses; empty = multicast. */
  readonly unicastPeers: readonly string[];
  /** unicast_src_ip / mcast_src_ip; otherwise the interface's first address (IPv6: link-local). */
  readonly sourceAddress?: string;
  /** vrrp_check_unicast_src / check_unicast_src: drop unicast adverts from non-peers. */
  readonly checkUnicastSource: boolean;
  readonly multicastGroup: string;
  /** Version 2 auth_pass: the PASS password, or the AH key when `ahAuthentication`. */
  readonly password?: string;
  /** Version 2 auth_type AH: adverts go behind an IPsec AH header (IP protocol 51) keyed by `password`. */
  readonly ahAuthentication?: boolean;
  readonly v3ChecksumAsV2: boolean;
  readonly virtualAddresses: readonly VirtualAddress[];
  readonly excludedAddresses: readonly VirtualAddress[];
  readonly virtualRoutes: readonly NetlinkRouteSpec[];
  readonly virtualRules: readonly NetlinkRuleSpec[];
}

/** The interface adverts are sent and received on: the base one with vmac_xmit_base, else `interfaceName`. */
export function advertInterfaceName(spec: RuntimeInstanceSpec): string {
  return spec.vmacXmitBase && spec.baseInterfaceName !== undefined ? spec.baseInterfaceName : spec.interfaceName;
}

/**
 * One instance as the runtime starts it. `config.primaryAddress` may be empty: the runtime fills
 * it with the source address it resolves on the interface.
 */
export interface InstanceDefinition {
  readonly config: InstanceConfig;
  readonly spec: RuntimeInstanceSpec;
  /** vrrp_sync_group the instance belongs to, if any. */
  readonly syncGroup?: string;
}
