// Link and address notifications: changes made by another process arrive quickly and keep
// 'new' apart from 'delete'; an event storm against a slow listener becomes a 'resync', not a crash.
import { execFile, spawn } from 'node:child_process';
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { getPriority, setPriority, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getLink, listAddresses, openRouteSocket, RouteEvents, RTM, RTNLGRP, type RouteEvent } from '../../src/netlink/route/index.js';
import { NETLINK_ROUTE, NetlinkEventSocket, type NetlinkSocket } from '../../src/netlink/socket.js';
import { cleanupNamespaces, createNamespace, disposeNamespaces, inNamespace, ip, ipBatch } from '../support/netns.js';

const PREFIX = 'ktsnl';
const run = promisify(execFile);
let ns: string;
let socket: NetlinkSocket;
let scratch: string;

beforeAll(() => {
  cleanupNamespaces(PREFIX);
  ns = createNamespace(PREFIX);
  ip(ns, 'link', 'add', 'e0', 'type', 'veth', 'peer', 'name', 'e0p');
  ip(ns, 'link', 'set', 'e0p', 'up');
  socket = inNamespace(ns, () => openRouteSocket());
  scratch = mkdtempSync(join(tmpdir(), 'ktsnl-'));
});

afterAll(() => {
  socket?.close();
  disposeNamespaces();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

/** Resolves with the first event `match` accepts, or rejects after `ms`. */
function nextEvent<K extends 'link' | 'address'>(events: RouteEvents, kind: K, match: (event: Extract<RouteEvent, { kind: K }>) => boolean, ms = 2000) {
  return new Promise<Extract<RouteEvent, { kind: K }>>((resolve, reject) => {
    const timer = setTimeout(() => {
      events.off(kind, listener as never);
      reject(new Error(`no matching ${kind} event in ${ms} ms`));
    }, ms);
    const listener = (event: Extract<RouteEvent, { kind: K }>) => {
      if (!match(event)) return;
      clearTimeout(timer);
      events.off(kind, listener as never);
      resolve(event);
    };
    events.on(kind, listener as never);
  });
}

describe('link events', () => {
  it('a link set down and up by `ip link set` in another process is seen within 50 ms each way', async () => {
    const events = inNamespace(ns, () => RouteEvents.open({ addresses: false }));
    // The other process is an `ip -batch -` already running and reading commands from its stdin,
    // so the clock measures the change and its notification, not how long a fork takes. Both
    // processes run at a raised priority (as a VRRP daemon would): the machine is shared, and the
    // claim is about netlink latency, not about waiting for a time slice behind other jobs.
    const priority = getPriority();
    setPriority(-10);
    const other = spawn('nice', ['-n', '-10', 'ip', '-n', ns, '-batch', '-'], { stdio: ['pipe', 'ignore', 'inherit'] });
    try {
      for (const state of ['up', 'down', 'up', 'down'] as const) {
        const seen = nextEvent(events, 'link', (event) => event.link.name === 'e0' && event.link.up === (state === 'up'));
        const started = performance.now();
        other.stdin.write(`link set e0 ${state}\n`);
        const event = await seen;
        const latency = performance.now() - started;
        console.log(`link ${state}: event after ${latency.toFixed(1)} ms`);
        expect(event.action).toBe('new');
        expect(latency).toBeLessThan(50);
      }
    } finally {
      other.stdin.end();
      setPriority(priority);
      events.close();
    }
  });

  it("creating and deleting a link are 'new' and 'delete' with the link's details", async () => {
    const events = inNamespace(ns, () => RouteEvents.open({ addresses: false }));
    try {
      const created = nextEvent(events, 'link', (event) => event.link.name === 'e9');
      ip(ns, 'link', 'add', 'e9', 'link', 'e0', 'type', 'macvlan', 'mode', 'bridge');
      expect(await created).toMatchObject({ action: 'new', link: { name: 'e9', kind: 'macvlan', macvlanMode: 'bridge' } });
      const deleted = nextEvent(events, 'link', (event) => event.link.name === 'e9' && event.action === 'delete');
      ip(ns, 'link', 'del', 'e9');
      expect((await deleted).link.kind).toBe('macvlan');
    } finally {
      events.close();
    }
  });
});

describe('group membership', () => {
  it('a NetlinkEventSocket hears a group only between join and leave', async () => {
    const socket = inNamespace(ns, () => NetlinkEventSocket.open(NETLINK_ROUTE));
    const types: number[] = [];
    socket.on('message', (message) => types.push(message.type));
    const settle = () => new Promise((resolve) => setTimeout(resolve, 50));
    try {
      ip(ns, 'link', 'set', 'e0p', 'mtu', '1400');
      await settle();
      expect(types).toEqual([]);
      socket.join(RTNLGRP.LINK);
      ip(ns, 'link', 'set', 'e0p', 'mtu', '1450');
      await settle();
      expect(types).toContain(RTM.NEWLINK);
      socket.leave(RTNLGRP.LINK);
      types.length = 0;
      ip(ns, 'link', 'set', 'e0p', 'mtu', '1500');
      await settle();
      expect(types).toEqual([]);
    } finally {
      socket.close();
    }
  });
});

describe('address events', () => {
  it("an address added and removed by ip(8) is 'new' then 'delete', IPv4 and IPv6", async () => {
    const events = inNamespace(ns, () => RouteEvents.open({ links: false }));
    const index = (await getLink(socket, 'e0')).index;
    try {
      for (const address of ['10.50.0.1', 'fd00:50::1']) {
        const added = nextEvent(events, 'address', (event) => event.address.address === address && event.action === 'new');
        ip(ns, 'addr', 'add', `${address}/${address.includes(':') ? 64 : 24}`, 'dev', 'e0', 'nodad');
        expect((await added).address).toMatchObject({ index, address });
        const removed = nextEvent(events, 'address', (event) => event.address.address === address && event.action === 'delete');
        ip(ns, 'addr', 'del', `${address}/${address.includes(':') ? 64 : 24}`, 'dev', 'e0');
        expect((await removed).address.index).toBe(index);
      }
    } finally {
      events.close();
    }
  });

  it('an overrun while the process is not reading at all still gives a resync, and the listener keeps hearing', async () => {
    const events = inNamespace(ns, () => RouteEvents.open({ links: false, receiveBufferBytes: 4 * 1024 }));
    let resyncs = 0;
    events.on('resync', () => resyncs++);
    try {
      const lines = Array.from({ length: 300 }, (_, i) => `addr add 10.62.${i >> 8}.${i & 0xff}/32 dev e0`);
      // spawnSync blocks this event loop: the queue overflows with nobody reading it.
      ipBatch(ns, lines);
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(resyncs).toBeGreaterThanOrEqual(1);
      const after = nextEvent(events, 'address', (event) => event.address.address === '10.63.0.1');
      ip(ns, 'addr', 'add', '10.63.0.1/24', 'dev', 'e0');
      expect((await after).action).toBe('new');
    } finally {
      events.close();
    }
  });

  it('10,000 changes from `ip -batch` against a deliberately slow listener give a resync, never a crash; dump + later events rebuild the truth', async () => {
    const events = inNamespace(ns, () => RouteEvents.open({ links: false, receiveBufferBytes: 16 * 1024 }));
    const ours = (address: string) => address.startsWith('10.60.');
    // The consumer the resync contract is for: state from events, rebuilt by a dump on 'resync'
    // (events that arrive while the dump is in flight are applied after it, in order).
    let model = new Set<string>();
    let buffered: Extract<RouteEvent, { kind: 'address' }>[] | undefined;
    let generation = 0;
    let dumpsInFlight = 0;
    const apply = (event: Extract<RouteEvent, { kind: 'address' }>) => {
      if (!ours(event.address.address)) return;
      if (event.action === 'new') model.add(event.address.address);
      else model.delete(event.address.address);
    };
    let delivered = 0;
    let resyncs = 0;
    events.on('address', (event) => {
      delivered++;
      // A slow consumer: 1 ms of blocked event loop per notification.
      const until = performance.now() + 1;
      while (performance.now() < until);
      if (buffered) buffered.push(event);
      else apply(event);
    });
    const rebuild = () => {
      const mine = ++generation;
      buffered = [];
      dumpsInFlight++;
      listAddresses(socket, { family: 'inet' }).then(
        (addresses) => {
          dumpsInFlight--;
          if (mine !== generation) return;
          model = new Set(addresses.map((address) => address.address).filter(ours));
          for (const event of buffered ?? []) apply(event);
          buffered = undefined;
        },
        // A dump the storm keeps interrupting (EINTR after its retries) is tried again later.
        () => {
          dumpsInFlight--;
          if (mine === generation) setTimeout(rebuild, 20);
        },
      );
    };
    events.on('resync', () => {
      resyncs++;
      rebuild();
    });
    try {
      // /32s: each is primary, so no delete takes other addresses with it.
      const address = (i: number) => `10.60.${i >> 8}.${i & 0xff}`;
      const lines: string[] = [];
      for (let i = 0; i < 6000; i++) lines.push(`addr add ${address(i)}/32 dev e0`);
      for (let i = 0; i < 4000; i++) lines.push(`addr del ${address(i)}/32 dev e0`);
      const batch = join(scratch, 'storm.batch');
      writeFileSync(batch, lines.join('\n') + '\n');
      await run('ip', ['-n', ns, '-batch', batch]);
      // Let whatever is still queued arrive, and the last dump land.
      let seen = -1;
      while (seen !== delivered + resyncs || dumpsInFlight > 0 || buffered) {
        seen = delivered + resyncs;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      console.log(`storm: ${delivered} address events delivered, ${resyncs} resync(s), ${events.stats.discardedAfterOverrun} discarded after overruns`);
      expect(resyncs).toBeGreaterThanOrEqual(1);
      expect(events.stats.resyncs).toBe(resyncs);
      expect(delivered).toBeLessThan(10_000);

      const truth = (await listAddresses(socket, { family: 'inet' })).map((entry) => entry.address).filter(ours);
      expect(truth).toHaveLength(2000);
      expect([...model].sort()).toEqual(truth.sort());

      // The listener still works after the overrun.
      const after = nextEvent(events, 'address', (event) => event.address.address === '10.61.0.1');
      ip(ns, 'addr', 'add', '10.61.0.1/24', 'dev', 'e0');
      expect((await after).action).toBe('new');
    } finally {
      events.close();
    }
  });
});
