// track_interface decisions over link notifications (a scripted event source; the real kernel is
// in test/netns/vrrp-tracker-interface.test.ts).
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { IFF, type Link, type RouteEventsEvents } from '../../src/netlink/route/index.js';
import { InterfaceTracker, linkIsUp } from '../../src/vrrp/trackers/interface-tracker.js';
import type { TrackerState } from '../../src/vrrp/trackers/tracker.js';

const link = (name: string, flags: number): Link => ({ index: 3, name, type: 1, flags, up: (flags & IFF.UP) !== 0, lowerUp: (flags & IFF.LOWER_UP) !== 0, operstate: 'up' });
const UP = IFF.UP | IFF.RUNNING | IFF.LOWER_UP;

function setup(initial: Link[]) {
  const events = new EventEmitter<RouteEventsEvents>();
  let links = initial;
  const tracker = new InterfaceTracker({ name: 'eth1', events, listLinks: async () => links });
  const changes: TrackerState[] = [];
  tracker.on('change', (s) => changes.push(s));
  return { events, tracker, changes, setLinks: (l: Link[]) => (links = l) };
}

describe('InterfaceTracker', () => {
  it('needs IFF_UP and IFF_RUNNING (no carrier counts as down)', () => {
    expect(linkIsUp(link('x', UP))).toBe(true);
    expect(linkIsUp(link('x', IFF.UP))).toBe(false);
    expect(linkIsUp(link('x', IFF.RUNNING))).toBe(false);
  });

  it('reads the initial state, then follows events for its own interface only', async () => {
    const { events, tracker, changes } = setup([link('eth1', UP)]);
    tracker.start();
    await tracker.refresh();
    expect(changes).toEqual([{ name: 'eth1', up: true }]);
    events.emit('link', { kind: 'link', action: 'new', link: link('eth0', IFF.UP) });
    events.emit('link', { kind: 'link', action: 'new', link: link('eth1', UP) });
    expect(changes).toHaveLength(1);
    events.emit('link', { kind: 'link', action: 'new', link: link('eth1', IFF.UP) });
    events.emit('link', { kind: 'link', action: 'delete', link: link('eth1', UP) });
    expect(changes).toEqual([{ name: 'eth1', up: true }, { name: 'eth1', up: false }]);
    tracker.stop();
  });

  it('does not let a dump answered after a newer notification undo it', async () => {
    const events = new EventEmitter<RouteEventsEvents>();
    let answer!: (links: Link[]) => void;
    const tracker = new InterfaceTracker({ name: 'eth1', events, listLinks: () => new Promise((resolve) => (answer = resolve)) });
    tracker.start();
    events.emit('link', { kind: 'link', action: 'new', link: link('eth1', IFF.UP) });
    answer([link('eth1', UP)]);
    await new Promise((r) => setImmediate(r));
    expect(tracker.state).toEqual({ name: 'eth1', up: false });
    tracker.stop();
  });

  it('starts down when the interface does not exist, and re-reads after a resync', async () => {
    const { events, tracker, changes, setLinks } = setup([]);
    tracker.start();
    await tracker.refresh();
    expect(tracker.state).toEqual({ name: 'eth1', up: false });
    setLinks([link('eth1', UP)]);
    events.emit('resync');
    await tracker.refresh();
    expect(changes).toEqual([{ name: 'eth1', up: true }]);
    tracker.stop();
    events.emit('link', { kind: 'link', action: 'delete', link: link('eth1', UP) });
    expect(tracker.state).toEqual({ name: 'eth1', up: true });
  });
});
