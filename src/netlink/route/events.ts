// Kernel notifications for links, addresses, routes and rules, decoded and kept apart as 'new' or
// 'delete'. A receive-queue overrun becomes a 'resync' event: the listener must then re-dump.
import { EventEmitter } from 'node:events';
import type { DecodeFailure, Decoded } from '../decode.js';
import type { NetlinkMessage } from '../message.js';
import { NETLINK_ROUTE, NetlinkEventSocket } from '../socket.js';
import { decodeAddress, type Address } from './address.js';
import { RTM, RTNLGRP } from './constants.js';
import { decodeLink, type Link } from './link.js';
import { isInetFamily } from './prefix.js';
import { decodeRoute, type Route } from './route.js';
import { decodeRule, type Rule } from './rule.js';

export type ChangeAction = 'new' | 'delete';

export type RouteEvent =
  | { readonly kind: 'link'; readonly action: ChangeAction; readonly link: Link }
  | { readonly kind: 'address'; readonly action: ChangeAction; readonly address: Address }
  | { readonly kind: 'route'; readonly action: ChangeAction; readonly route: Route }
  | { readonly kind: 'rule'; readonly action: ChangeAction; readonly rule: Rule };

/** Decodes one notification; undefined for message types (and route families) this layer does not follow. Pure. */
export function decodeRouteEvent(message: NetlinkMessage): Decoded<RouteEvent> | undefined {
  const wrap = <T, E extends RouteEvent>(result: Decoded<T>, make: (value: T) => E): Decoded<RouteEvent> =>
    result.ok ? { ok: true, value: make(result.value) } : result;
  switch (message.type) {
    case RTM.NEWLINK:
    case RTM.DELLINK: {
      const action: ChangeAction = message.type === RTM.NEWLINK ? 'new' : 'delete';
      return wrap(decodeLink(message), (link) => ({ kind: 'link', action, link }));
    }
    case RTM.NEWADDR:
    case RTM.DELADDR: {
      const action: ChangeAction = message.type === RTM.NEWADDR ? 'new' : 'delete';
      return wrap(decodeAddress(message), (address) => ({ kind: 'address', action, address }));
    }
    case RTM.NEWROUTE:
    case RTM.DELROUTE: {
      if (!isInetFamily(message.payload[0])) return undefined;
      const action: ChangeAction = message.type === RTM.NEWROUTE ? 'new' : 'delete';
      return wrap(decodeRoute(message), (route) => ({ kind: 'route', action, route }));
    }
    case RTM.NEWRULE:
    case RTM.DELRULE: {
      if (!isInetFamily(message.payload[0])) return undefined;
      const action: ChangeAction = message.type === RTM.NEWRULE ? 'new' : 'delete';
      return wrap(decodeRule(message), (rule) => ({ kind: 'rule', action, rule }));
    }
    default:
      return undefined;
  }
}

export interface RouteEventsOptions {
  /** Default true. */
  readonly links?: boolean;
  /** IPv4 and IPv6 address changes; default true. */
  readonly addresses?: boolean;
  /** Default false. */
  readonly routes?: boolean;
  /** Default false. */
  readonly rules?: boolean;
  /** Kernel receive queue; default 1 MiB. Smaller means an earlier 'resync' under a storm. */
  readonly receiveBufferBytes?: number;
}

export interface RouteEventsEvents {
  link: [event: Extract<RouteEvent, { kind: 'link' }>];
  address: [event: Extract<RouteEvent, { kind: 'address' }>];
  route: [event: Extract<RouteEvent, { kind: 'route' }>];
  rule: [event: Extract<RouteEvent, { kind: 'rule' }>];
  /** Notifications were lost: re-read links/addresses with a dump (changes after this event all arrive). */
  resync: [];
  /** A notification that did not decode (dropped and counted). */
  malformed: [failure: DecodeFailure | { code: string; message: string }];
}

export function routeEventGroups(options: RouteEventsOptions): number[] {
  const groups: number[] = [];
  if (options.links ?? true) groups.push(RTNLGRP.LINK);
  if (options.addresses ?? true) groups.push(RTNLGRP.IPV4_IFADDR, RTNLGRP.IPV6_IFADDR);
  if (options.routes) groups.push(RTNLGRP.IPV4_ROUTE, RTNLGRP.IPV6_ROUTE);
  if (options.rules) groups.push(RTNLGRP.IPV4_RULE, RTNLGRP.IPV6_RULE);
  return groups;
}

/** Subscribes to rtnetlink notifications in the namespace the calling thread is in. */
export class RouteEvents extends EventEmitter<RouteEventsEvents> {
  readonly #socket: NetlinkEventSocket;

  private constructor(socket: NetlinkEventSocket) {
    super();
    this.#socket = socket;
    socket.on('message', (message) => this.#onMessage(message));
    socket.on('resync', () => this.emit('resync'));
    socket.on('malformed', (failure) => this.emit('malformed', failure));
  }

  static open(options: RouteEventsOptions = {}): RouteEvents {
    const socket = NetlinkEventSocket.open(NETLINK_ROUTE, {
      groups: routeEventGroups(options),
      ...(options.receiveBufferBytes !== undefined ? { receiveBufferBytes: options.receiveBufferBytes } : {}),
    });
    return new RouteEvents(socket);
  }

  /** Counters of the underlying socket (messages, resyncs, malformed datagrams). */
  get stats(): NetlinkEventSocket['stats'] {
    return this.#socket.stats;
  }

  unref(): this {
    this.#socket.unref();
    return this;
  }

  close(): void {
    this.#socket.close();
  }

  #onMessage(message: NetlinkMessage): void {
    const event = decodeRouteEvent(message);
    if (!event) return;
    if (!event.ok) {
      this.emit('malformed', event.error);
      return;
    }
    const value = event.value;
    switch (value.kind) {
      case 'link':
        this.emit('link', value);
        break;
      case 'address':
        this.emit('address', value);
        break;
      case 'route':
        this.emit('route', value);
        break;
      case 'rule':
        this.emit('rule', value);
        break;
    }
  }
}
