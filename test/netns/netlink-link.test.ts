// Links through our rtnetlink client: create veth pairs and macvlans, read them back as ip(8)
// sees them, change state, MAC and flags, and delete them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createLink,
  createMacvlan,
  createVethPair,
  deleteLink,
  getLink,
  IFF,
  listLinks,
  openRouteSocket,
  setLink,
  setLinkDown,
  setLinkUp,
} from '../../src/netlink/route/index.js';
import type { NetlinkSocket } from '../../src/netlink/socket.js';
import { cleanupNamespaces, createNamespace, disposeNamespaces, inNamespace, ip } from '../support/netns.js';

const PREFIX = 'ktsnl';
let ns: string;
let other: string;
let socket: NetlinkSocket;

beforeAll(() => {
  cleanupNamespaces(PREFIX);
  ns = createNamespace(PREFIX);
  other = createNamespace(PREFIX);
  socket = inNamespace(ns, () => openRouteSocket());
});

afterAll(() => {
  socket?.close();
  disposeNamespaces();
});

/** `ip -o -d link show dev NAME` (details include the kind and macvlan mode). */
const details = (name: string, namespace = ns) => ip(namespace, '-o', '-d', 'link', 'show', 'dev', name);

describe('links', () => {
  it('creates a veth pair with MACs that ip(8) shows as a pair', async () => {
    await createVethPair(socket, { name: 'v0', mac: '02:00:00:00:aa:01', peer: { name: 'v1', mac: '02:00:00:00:aa:02' } });
    expect(details('v0')).toMatch(/v0@v1: .* link\/ether 02:00:00:00:aa:01 .* veth/);
    expect(details('v1')).toMatch(/v1@v0: .* link\/ether 02:00:00:00:aa:02/);
    const [v0, v1] = [await getLink(socket, 'v0'), await getLink(socket, 'v1')];
    expect(v0).toMatchObject({ name: 'v0', kind: 'veth', mac: '02:00:00:00:aa:01', parentIndex: v1.index, up: false });
  });

  it('gets a link by index as well as by name, and lists it in the dump', async () => {
    const byName = await getLink(socket, 'v0');
    expect(await getLink(socket, byName.index)).toEqual(byName);
    expect((await listLinks(socket)).map((link) => link.name)).toEqual(expect.arrayContaining(['lo', 'v0', 'v1']));
  });

  it('sets links up and down; operstate follows the carrier', async () => {
    await setLinkUp(socket, 'v0');
    let v0 = await getLink(socket, 'v0');
    expect(v0.up).toBe(true);
    expect(v0.operstate).toBe('lowerlayerdown'); // peer still down: no carrier
    expect(details('v0')).toContain('state LOWERLAYERDOWN');
    await setLinkUp(socket, 'v1');
    v0 = await getLink(socket, 'v0');
    expect([v0.operstate, v0.lowerUp]).toEqual(['up', true]);
    await setLinkDown(socket, 'v1');
    expect(details('v1')).toMatch(/<BROADCAST,MULTICAST> .* state DOWN/);
  });

  it('changes MAC, MTU, alias and raw flags (noarp, promisc)', async () => {
    const { index } = await getLink(socket, 'v1');
    await setLink(socket, index, { mac: '02:00:00:00:bb:02', mtu: 1400, alias: 'test peer', flags: { flags: IFF.NOARP | IFF.PROMISC, mask: IFF.NOARP | IFF.PROMISC } });
    const line = details('v1');
    expect(line).toMatch(/<BROADCAST,MULTICAST,NOARP,PROMISC> mtu 1400/);
    expect(line).toContain('link/ether 02:00:00:00:bb:02');
    expect(line).toContain('alias test peer');
    expect(await getLink(socket, index)).toMatchObject({ mac: '02:00:00:00:bb:02', mtu: 1400, alias: 'test peer' });
    await setLink(socket, index, { flags: { flags: 0, mask: IFF.NOARP } });
    expect(details('v1')).toMatch(/<BROADCAST,MULTICAST,PROMISC>/);
  });

  it('renames a link given by name', async () => {
    await setLink(socket, 'v1', { name: 'v1r' });
    expect(ip(ns, '-o', 'link', 'show')).toContain('v1r@v0');
    await setLink(socket, 'v1r', { name: 'v1' });
  });

  it('creates macvlans with each mode and a MAC, as ip(8) reports them', async () => {
    for (const mode of ['private', 'vepa', 'bridge', 'passthru'] as const) {
      const name = `mv-${mode}`.slice(0, 15);
      await createMacvlan(socket, { name, parent: 'v0', mode, ...(mode !== 'passthru' ? { mac: '02:00:00:00:cc:01' } : {}), up: true });
      expect(details(name)).toContain(`macvlan mode ${mode} `);
      expect(await getLink(socket, name)).toMatchObject({ kind: 'macvlan', macvlanMode: mode, parentIndex: (await getLink(socket, 'v0')).index, up: true });
      if (mode !== 'passthru') expect(details(name)).toContain('link/ether 02:00:00:00:cc:01');
      await deleteLink(socket, name);
    }
  });

  it('creates the peer of a veth pair straight in another namespace', async () => {
    const { openSync, closeSync } = await import('node:fs');
    const fd = openSync(`/run/netns/${other}`, 'r');
    try {
      await createVethPair(socket, { name: 'x0', peer: { name: 'x1', namespaceFd: fd } });
    } finally {
      closeSync(fd);
    }
    expect(details('x1', other)).toContain('x1@');
    expect(ip(ns, '-o', 'link', 'show')).not.toContain('x1');
  });

  it('creates a link of a kind with no settings (bridge)', async () => {
    await createLink(socket, { name: 'br9', kind: 'bridge', up: true });
    expect(await getLink(socket, 'br9')).toMatchObject({ kind: 'bridge', up: true });
  });

  it('deletes links; deleting or getting a missing one is ENODEV', async () => {
    await deleteLink(socket, 'v0');
    expect(ip(ns, '-o', 'link', 'show')).not.toMatch(/v[01]@/);
    await expect(deleteLink(socket, 'v0')).rejects.toMatchObject({ code: 'ENODEV', errno: 19 });
    await expect(getLink(socket, 'v0')).rejects.toMatchObject({ code: 'ENODEV' });
    await expect(getLink(socket, 99999)).rejects.toMatchObject({ code: 'ENODEV' });
  });

  it('creating an existing link is EEXIST', async () => {
    await expect(createLink(socket, { name: 'br9', kind: 'bridge' })).rejects.toMatchObject({ code: 'EEXIST' });
  });
});
