// track_interface against the real kernel: a veth in a namespace, taken down, losing its carrier,
// deleted and recreated, seen through rtnetlink notifications.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listLinks, openRouteSocket, RouteEvents } from '../../src/netlink/route/index.js';
import type { NetlinkSocket } from '../../src/netlink/socket.js';
import { InterfaceTracker } from '../../src/vrrp/trackers/interface-tracker.js';
import type { TrackerState } from '../../src/vrrp/trackers/tracker.js';
import { cleanupNamespaces, createNamespace, disposeNamespaces, inNamespace, ip } from '../support/netns.js';

const PREFIX = 'ktsvt';
let ns: string;
let socket: NetlinkSocket;
let events: RouteEvents;

beforeAll(() => {
  cleanupNamespaces(PREFIX);
  ns = createNamespace(PREFIX);
  ip(ns, 'link', 'add', 'trk0', 'type', 'veth', 'peer', 'name', 'trk1');
  ip(ns, 'link', 'set', 'trk0', 'up');
  ip(ns, 'link', 'set', 'trk1', 'up');
  socket = inNamespace(ns, () => openRouteSocket());
  events = inNamespace(ns, () => RouteEvents.open({ addresses: false }));
});

afterAll(() => {
  events?.close();
  socket?.close();
  disposeNamespaces();
});

function nextChange(tracker: InterfaceTracker, ms = 2000): Promise<TrackerState> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no change of ${tracker.name} in ${ms} ms`)), ms);
    tracker.once('change', (state) => {
      clearTimeout(timer);
      resolve(state);
    });
  });
}

describe('InterfaceTracker on a veth', () => {
  it('follows admin down/up, carrier loss (peer down) and deletion', async () => {
    const tracker = new InterfaceTracker({ name: 'trk0', events, listLinks: () => listLinks(socket) });
    const first = nextChange(tracker);
    tracker.start();
    try {
      expect(await first).toEqual({ name: 'trk0', up: true });

      let change = nextChange(tracker);
      ip(ns, 'link', 'set', 'trk0', 'down');
      expect(await change).toEqual({ name: 'trk0', up: false });

      change = nextChange(tracker);
      ip(ns, 'link', 'set', 'trk0', 'up');
      expect(await change).toEqual({ name: 'trk0', up: true });

      change = nextChange(tracker);
      ip(ns, 'link', 'set', 'trk1', 'down');
      expect(await change).toEqual({ name: 'trk0', up: false });

      change = nextChange(tracker);
      ip(ns, 'link', 'set', 'trk1', 'up');
      expect(await change).toEqual({ name: 'trk0', up: true });

      change = nextChange(tracker);
      ip(ns, 'link', 'delete', 'trk0');
      expect(await change).toEqual({ name: 'trk0', up: false });

      change = nextChange(tracker);
      ip(ns, 'link', 'add', 'trk0', 'type', 'veth', 'peer', 'name', 'trk1');
      ip(ns, 'link', 'set', 'trk1', 'up');
      ip(ns, 'link', 'set', 'trk0', 'up');
      expect(await change).toEqual({ name: 'trk0', up: true });
    } finally {
      tracker.stop();
    }
  });

  it('starts down for an interface that does not exist', async () => {
    const tracker = new InterfaceTracker({ name: 'nosuch0', events, listLinks: () => listLinks(socket) });
    tracker.start();
    await tracker.refresh();
    expect(tracker.state).toEqual({ name: 'nosuch0', up: false });
    tracker.stop();
  });
});
