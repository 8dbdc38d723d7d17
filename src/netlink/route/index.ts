// rtnetlink: links, addresses, routes, rules and their change notifications.
import { NETLINK_ROUTE, NetlinkSocket, type NetlinkSocketOptions } from '../socket.js';

export * from './constants.js';
export * from './prefix.js';
export * from './link.js';
export * from './address.js';
export * from './route.js';
export * from './rule.js';
export * from './events.js';

/** A NETLINK_ROUTE request socket in the namespace the calling thread is in. */
export function openRouteSocket(options: NetlinkSocketOptions = {}): NetlinkSocket {
  return NetlinkSocket.open(NETLINK_ROUTE, options);
}
