// Routes and policy rules through our rtnetlink client must look to ip(8) exactly like the ones
// `ip route add` / `ip rule add` make; dumps read them back; refusals are typed errors.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addAddress, addRoute, addRule, deleteRoute, deleteRule, listRoutes, listRules, openRouteSocket } from '../../src/netlink/route/index.js';
import type { NetlinkSocket } from '../../src/netlink/socket.js';
import { cleanupNamespaces, createNamespace, disposeNamespaces, inNamespace, ip } from '../support/netns.js';

const PREFIX = 'ktsnl';
let ns: string;
let socket: NetlinkSocket;

beforeAll(async () => {
  cleanupNamespaces(PREFIX);
  ns = createNamespace(PREFIX);
  ip(ns, 'link', 'add', 'r0', 'type', 'veth', 'peer', 'name', 'r0p');
  ip(ns, 'link', 'set', 'r0', 'up');
  ip(ns, 'link', 'set', 'r0p', 'up');
  socket = inNamespace(ns, () => openRouteSocket());
  await addAddress(socket, { link: 'r0', address: '10.1.0.1/24' });
  await addAddress(socket, { link: 'r0', address: 'fd00:1::1/64', nodad: true });
});

afterAll(() => {
  socket?.close();
  disposeNamespaces();
});

const lineFor = (output: string, needle: string) => output.split('\n').find((line) => line.includes(needle));
const routeLine = (table: string, needle: string, family = '-4') => lineFor(ip(ns, family, 'route', 'show', 'table', table), needle);
const ruleLine = (needle: string, family = '-4') => lineFor(ip(ns, family, 'rule', 'show'), needle);

describe('routes', () => {
  it('gateway, dev, table, metric and src show exactly as `ip route add` makes them', async () => {
    ip(ns, 'route', 'add', '10.70.0.0/16', 'via', '10.1.0.254', 'dev', 'r0', 'table', '100', 'metric', '20', 'src', '10.1.0.1');
    await addRoute(socket, { destination: '10.71.0.0/16', gateway: '10.1.0.254', dev: 'r0', table: 100, metric: 20, preferredSource: '10.1.0.1' });
    const theirs = routeLine('100', '10.70.0.0/16');
    expect(theirs).toMatch(/^10\.70\.0\.0\/16 via 10\.1\.0\.254 dev r0 (proto \w+ )?src 10\.1\.0\.1 metric 20/);
    expect(routeLine('100', '10.71.0.0/16')?.replace('10.71.', '10.70.')).toBe(theirs);
  });

  it('a device route gets scope link by default, as with ip', async () => {
    ip(ns, 'route', 'add', '10.72.0.0/16', 'dev', 'r0');
    await addRoute(socket, { destination: '10.73.0.0/16', dev: 'r0' });
    expect(routeLine('main', '10.73.0.0/16')?.replace('10.73.', '10.72.')).toBe(routeLine('main', '10.72.0.0/16'));
    expect(routeLine('main', '10.72.0.0/16')).toContain('scope link');
  });

  it('blackhole and host routes, and an explicit scope', async () => {
    ip(ns, 'route', 'add', 'blackhole', '10.74.0.0/16', 'table', '100');
    await addRoute(socket, { type: 'blackhole', destination: '10.75.0.0/16', table: 100 });
    expect(routeLine('100', '10.75.0.0/16')?.replace('10.75.', '10.74.')).toBe(routeLine('100', '10.74.0.0/16'));
    ip(ns, 'route', 'add', '10.76.0.9', 'dev', 'r0', 'scope', 'host', 'table', '100');
    await addRoute(socket, { destination: '10.77.0.9', dev: 'r0', scope: 'host', table: 100 });
    expect(routeLine('100', '10.77.0.9')?.replace('10.77.', '10.76.')).toBe(routeLine('100', '10.76.0.9'));
  });

  it('IPv6 routes with a gateway and metric match too', async () => {
    ip(ns, '-6', 'route', 'add', 'fd00:70::/48', 'via', 'fd00:1::fe', 'dev', 'r0', 'metric', '5', 'table', '100');
    await addRoute(socket, { destination: 'fd00:71::/48', gateway: 'fd00:1::fe', dev: 'r0', metric: 5, table: 100 });
    expect(routeLine('100', 'fd00:71::/48', '-6')?.replace('fd00:71::', 'fd00:70::')).toBe(routeLine('100', 'fd00:70::/48', '-6'));
  });

  it('a dump of one table reads them back', async () => {
    const routes = await listRoutes(socket, { table: 100 });
    expect(routes).toContainEqual(expect.objectContaining({ family: 'inet', destination: '10.71.0.0/16', gateway: '10.1.0.254', preferredSource: '10.1.0.1', metric: 20, table: 100, type: 'unicast', scope: 'global' }));
    expect(routes).toContainEqual(expect.objectContaining({ destination: '10.75.0.0/16', type: 'blackhole' }));
    expect(routes).toContainEqual(expect.objectContaining({ destination: '10.77.0.9', scope: 'host' }));
    expect(routes).toContainEqual(expect.objectContaining({ family: 'inet6', destination: 'fd00:71::/48', gateway: 'fd00:1::fe', metric: 5 }));
    expect(routes.every((route) => route.table === 100)).toBe(true);
    const main = await listRoutes(socket, { family: 'inet' });
    expect(main).toContainEqual(expect.objectContaining({ destination: '10.1.0.0/24', scope: 'link', protocol: 2 }));
  });

  it('delete removes a route; deleting it again is ESRCH; adding twice is EEXIST', async () => {
    await deleteRoute(socket, { destination: '10.71.0.0/16', table: 100 });
    expect(routeLine('100', '10.71.0.0/16')).toBeUndefined();
    await expect(deleteRoute(socket, { destination: '10.71.0.0/16', table: 100 })).rejects.toMatchObject({ code: 'ESRCH', errno: 3 });
    await expect(addRoute(socket, { destination: '10.73.0.0/16', dev: 'r0' })).rejects.toMatchObject({ code: 'EEXIST' });
  });

  it('an unreachable gateway is ENETUNREACH with the kernel text', async () => {
    await expect(addRoute(socket, { destination: '10.78.0.0/16', gateway: '10.99.0.1' })).rejects.toMatchObject({ code: 'ENETUNREACH', extendedMessage: expect.any(String) });
  });
});

describe('rules', () => {
  it('from, table and priority show exactly as `ip rule add` makes them', async () => {
    ip(ns, 'rule', 'add', 'pref', '1000', 'from', '10.80.0.0/24', 'table', '100');
    await addRule(socket, { priority: 1001, from: '10.81.0.0/24', table: 100 });
    expect(ruleLine('1001:')?.replace('1001:', '1000:').replace('10.81.', '10.80.')).toBe(ruleLine('1000:'));
  });

  it('fwmark/mask, to, iif, oif and not match ip too', async () => {
    ip(ns, 'rule', 'add', 'pref', '1100', 'not', 'to', '10.82.0.0/16', 'fwmark', '0x10/0xff', 'iif', 'lo', 'oif', 'r0', 'table', '200');
    await addRule(socket, { priority: 1101, invert: true, to: '10.83.0.0/16', fwmark: 0x10, fwmask: 0xff, iif: 'lo', oif: 'r0', table: 200 });
    const theirs = ruleLine('1100:');
    expect(theirs).toContain('not from all to 10.82.0.0/16 fwmark 0x10/0xff iif lo oif r0');
    expect(ruleLine('1101:')?.replace('1101:', '1100:').replace('10.83.', '10.82.')).toBe(theirs);
  });

  it('IPv6 rules and non-table actions', async () => {
    ip(ns, '-6', 'rule', 'add', 'pref', '1200', 'from', 'fd00:80::/32', 'blackhole');
    await addRule(socket, { priority: 1201, from: 'fd00:81::/32', action: 'blackhole' });
    expect(ruleLine('1201:', '-6')?.replace('1201:', '1200:').replace('fd00:81::', 'fd00:80::')).toBe(ruleLine('1200:', '-6'));
  });

  it('a dump reads them back', async () => {
    const rules = await listRules(socket);
    expect(rules).toContainEqual(expect.objectContaining({ family: 'inet', priority: 1001, from: '10.81.0.0/24', to: 'default', table: 100, action: 'table' }));
    expect(rules).toContainEqual(expect.objectContaining({ priority: 1101, invert: true, to: '10.83.0.0/16', fwmark: 0x10, fwmask: 0xff, iif: 'lo', oif: 'r0', table: 200 }));
    expect(rules).toContainEqual(expect.objectContaining({ family: 'inet6', priority: 1201, action: 'blackhole' }));
    expect(rules).toContainEqual(expect.objectContaining({ family: 'inet', priority: 32766, table: 254 }));
  });

  it('adding twice is EEXIST; delete removes; deleting again is ENOENT', async () => {
    await expect(addRule(socket, { priority: 1001, from: '10.81.0.0/24', table: 100 })).rejects.toMatchObject({ code: 'EEXIST' });
    await deleteRule(socket, { priority: 1001, from: '10.81.0.0/24', table: 100 });
    expect(ruleLine('1001:')).toBeUndefined();
    await expect(deleteRule(socket, { priority: 1001, from: '10.81.0.0/24', table: 100 })).rejects.toMatchObject({ code: 'ENOENT', errno: 2 });
  });
});
