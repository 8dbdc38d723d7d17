// track_interface: an interface is up while it is administratively up and running (IFF_UP and
// IFF_RUNNING: carrier present, operstate up), down otherwise and while it does not exist. Follows
// rtnetlink link notifications; after a 'resync' (notifications lost) or at start it asks for the
// link list again. Weight 0 (the default) makes a down interface put the instance in FAULT
// (priority.ts). Measured on keepalived 2.2.7: an interface without carrier (its veth peer down)
// and one set administratively down both put a weight-0 tracking instance in FAULT ("interface t0
// down"), and `weight 10` adds 10 only while the interface is up. A tracked interface that does
// not exist is a config error for keepalived ("tracked interface ... doesn't exist"); the config
// layer reports it, and here it simply counts as down until it appears.
//
// Wiring: one RouteEvents (links) for the whole VRRP process, shared by every interface tracker:
//   const events = RouteEvents.open({ addresses: false });
//   const socket = openRouteSocket();
//   const tracker = new InterfaceTracker({ name: 'eth1', events, listLinks: () => listLinks(socket) });
//   tracker.on('change', ...); tracker.start();
import { EventEmitter } from 'node:events';
import { IFF, type Link, type RouteEventsEvents } from '../../netlink/route/index.js';
import type { Tracker, TrackerEvents, TrackerState } from './tracker.js';

/** The part of RouteEvents an interface tracker listens to. */
export interface LinkEventSource {
  on(event: 'link', listener: (...args: RouteEventsEvents['link']) => void): unknown;
  on(event: 'resync', listener: () => void): unknown;
  off(event: 'link', listener: (...args: RouteEventsEvents['link']) => void): unknown;
  off(event: 'resync', listener: () => void): unknown;
}

export interface InterfaceTrackerOptions {
  /** Interface name as configured. */
  readonly name: string;
  readonly events: LinkEventSource;
  /** A fresh dump of the links (at start and after a resync). */
  readonly listLinks: () => Promise<readonly Link[]>;
}

export interface InterfaceTrackerEvents extends TrackerEvents {
  /** The link list could not be read (kept in the last known state). */
  error: [error: Error];
}

export function linkIsUp(link: Pick<Link, 'flags'>): boolean {
  return (link.flags & IFF.UP) !== 0 && (link.flags & IFF.RUNNING) !== 0;
}

export class InterfaceTracker extends EventEmitter<InterfaceTrackerEvents> implements Tracker {
  readonly name: string;
  readonly #options: InterfaceTrackerOptions;
  #state: TrackerState;
  #started = false;
  /** Counts this interface's notifications, so that a dump answered after a newer one is not applied. */
  #events = 0;
  readonly #onLink = (event: RouteEventsEvents['link'][0]) => {
    if (event.link.name !== this.name) return;
    this.#events++;
    this.#set(event.action === 'new' && linkIsUp(event.link));
  };
  readonly #onResync = () => void this.#refresh();

  /** Until the first dump answers, the interface counts as down (keepalived starts a missing one in FAULT). */
  constructor(options: InterfaceTrackerOptions) {
    super();
    this.name = options.name;
    this.#options = options;
    this.#state = { name: this.name, up: false };
  }

  get state(): TrackerState {
    return this.#state;
  }

  start(): void {
    if (this.#started) return;
    this.#started = true;
    this.#options.events.on('link', this.#onLink);
    this.#options.events.on('resync', this.#onResync);
    void this.#refresh();
  }

  /** Reads the link list and applies it; resolves when done (also useful right after start). */
  async refresh(): Promise<void> {
    await this.#refresh();
  }

  stop(): void {
    if (!this.#started) return;
    this.#started = false;
    this.#options.events.off('link', this.#onLink);
    this.#options.events.off('resync', this.#onResync);
  }

  async #refresh(): Promise<void> {
    const eventsBefore = this.#events;
    try {
      const links = await this.#options.listLinks();
      if (!this.#started || this.#events !== eventsBefore) return;
      const link = links.find((l) => l.name === this.name);
      this.#set(link !== undefined && linkIsUp(link));
    } catch (error) {
      this.emit('error', error as Error);
    }
  }

  #set(up: boolean): void {
    if ('up' in this.#state && this.#state.up === up) return;
    this.#state = { name: this.name, up };
    this.emit('change', this.#state);
  }
}
