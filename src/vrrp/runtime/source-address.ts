// Which address an instance advertises from, given the interface's current addresses. Pure: the
// runtime calls it at start and again on every rtnetlink address change of the interface.
// Measured against keepalived 2.2.7: with no address of the family the instance sits in FAULT
// ("no IPv4 address for interface") and leaves it for BACKUP when one is added; when the address
// in use is removed and another remains, adverts continue from the next one without a state change.
import type { Address } from '../../netlink/route/address.js';
import type { AddressFamily } from '../types.js';

export interface SourceAddressQuery {
  readonly family: AddressFamily;
  /** unicast_src_ip / mcast_src_ip: used as given, whatever the interface holds. */
  readonly configured?: string;
  /** The interface the instance speaks on, and the one under it (use_vmac), by index. */
  readonly interfaceIndex: number | undefined;
  readonly baseInterfaceIndex: number | undefined;
  /** The instance's own VIPs: never a source. */
  readonly virtualAddresses: ReadonlySet<string>;
}

/** IPv6 link-local of the interface (then of the base interface), for adverts and NA. */
export function linkLocalAddress(query: SourceAddressQuery, addresses: readonly Address[]): string | undefined {
  const on = (index: number | undefined): string | undefined => (index === undefined ? undefined
    : addresses.find((a) => a.index === index && a.family === 'inet6' && a.address.startsWith('fe80'))?.address);
  return on(query.interfaceIndex) ?? on(query.baseInterfaceIndex);
}

/** The advert source: the configured one, else the first IPv4 address of the base interface that is not a VIP (IPv6: the link-local). */
export function resolveSourceAddress(query: SourceAddressQuery, addresses: readonly Address[]): string | undefined {
  if (query.configured !== undefined) return query.configured;
  if (query.family === 'ipv6') return linkLocalAddress(query, addresses);
  const index = query.baseInterfaceIndex ?? query.interfaceIndex;
  if (index === undefined) return undefined;
  return addresses.find((a) => a.index === index && a.family === 'inet' && !query.virtualAddresses.has(a.address))?.address;
}
