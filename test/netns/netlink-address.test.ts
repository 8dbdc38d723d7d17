// Addresses added through our rtnetlink client must look to ip(8) exactly like the ones
// `ip addr add` makes, and kernel refusals must come back as typed errors.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addAddress, deleteAddress, getLink, listAddresses, openRouteSocket } from '../../src/netlink/route/index.js';
import { NetlinkError } from '../../src/netlink/errors.js';
import { NLM_F } from '../../src/netlink/message.js';
import { encodeAddressRequest } from '../../src/netlink/route/address.js';
import { RTM } from '../../src/netlink/route/constants.js';
import type { NetlinkRequest, NetlinkSocket } from '../../src/netlink/socket.js';
import { native } from '../../src/sys/native.js';
import { cleanupNamespaces, createNamespace, disposeNamespaces, inNamespace, ip } from '../support/netns.js';

const PREFIX = 'ktsnl';
let ns: string;
let socket: NetlinkSocket;
let index: number;

/** The `ip -o addr show dev d0` line holding this address (the "N: d0" head included). */
function addressLine(address: string): string | undefined {
  return ip(ns, '-o', 'addr', 'show', 'dev', 'd0')
    .split('\n')
    .find((line) => line.includes(` ${address}/`) || line.includes(` ${address} `));
}

beforeAll(async () => {
  cleanupNamespaces(PREFIX);
  ns = createNamespace(PREFIX);
  // This kernel has no dummy module: one end of a veth pair serves as the test interface.
  ip(ns, 'link', 'add', 'd0', 'type', 'veth', 'peer', 'name', 'd0p');
  ip(ns, 'link', 'set', 'd0', 'up');
  ip(ns, 'link', 'set', 'd0p', 'up');
  socket = inNamespace(ns, () => openRouteSocket());
  index = (await getLink(socket, 'd0')).index;
});

afterAll(() => {
  socket?.close();
  disposeNamespaces();
});

describe('IPv4 addresses', () => {
  it('with label, scope and broadcast, show in `ip -o addr` exactly as `ip addr add` makes them', async () => {
    ip(ns, 'addr', 'add', '10.20.0.5/24', 'brd', '10.20.0.255', 'scope', 'link', 'label', 'd0:1', 'dev', 'd0');
    await addAddress(socket, { link: index, address: '10.21.0.5/24', broadcast: '10.21.0.255', scope: 'link', label: 'd0:1' });
    const theirs = addressLine('10.20.0.5');
    const ours = addressLine('10.21.0.5');
    expect(theirs).toMatch(/inet 10\.20\.0\.5\/24 brd 10\.20\.0\.255 scope link d0:1/);
    expect(ours?.replaceAll('10.21.0.', '10.20.0.')).toBe(theirs);
  });

  it("broadcast 'auto' is ip's `brd +`, and a name works as the link", async () => {
    ip(ns, 'addr', 'add', '10.22.0.9/20', 'brd', '+', 'dev', 'd0');
    await addAddress(socket, { link: 'd0', address: '10.23.0.9', prefixLength: 20, broadcast: 'auto' });
    expect(addressLine('10.23.0.9')?.replaceAll('10.23.', '10.22.')).toBe(addressLine('10.22.0.9'));
    expect(addressLine('10.22.0.9')).toContain('brd 10.22.15.255');
  });

  it('a point-to-point peer with metric matches ip too', async () => {
    ip(ns, 'addr', 'add', '10.30.0.1', 'peer', '10.30.0.2/32', 'metric', '7', 'dev', 'd0');
    await addAddress(socket, { link: index, address: '10.31.0.1', peer: '10.31.0.2', prefixLength: 32, metric: 7 });
    expect(addressLine('10.31.0.1')?.replaceAll('10.31.', '10.30.')).toBe(addressLine('10.30.0.1'));
    expect(addressLine('10.30.0.1')).toContain('peer 10.30.0.2/32');
  });

  it('a dump reports what was added, with label, scope, broadcast and peer', async () => {
    const addresses = await listAddresses(socket, { family: 'inet', index });
    expect(addresses).toContainEqual(expect.objectContaining({ family: 'inet', index, address: '10.21.0.5', prefixLength: 24, broadcast: '10.21.0.255', scope: 'link', label: 'd0:1' }));
    expect(addresses).toContainEqual(expect.objectContaining({ address: '10.31.0.1', peer: '10.31.0.2', prefixLength: 32, metric: 7 }));
    expect(addresses.every((address) => address.family === 'inet' && address.index === index)).toBe(true);
  });

  it('delete removes it', async () => {
    await deleteAddress(socket, { link: index, address: '10.21.0.5/24' });
    expect(addressLine('10.21.0.5')).toBeUndefined();
    expect(addressLine('10.20.0.5')).toBeDefined();
  });
});

describe('IPv6 addresses', () => {
  it('with nodad and noprefixroute show in `ip -o addr` exactly as `ip addr add` makes them', async () => {
    ip(ns, 'addr', 'add', 'fd00:20::5/64', 'nodad', 'noprefixroute', 'dev', 'd0');
    await addAddress(socket, { link: index, address: 'fd00:21::5/64', nodad: true, noprefixroute: true });
    const theirs = addressLine('fd00:20::5');
    expect(theirs).toMatch(/inet6 fd00:20::5\/64 scope global nodad noprefixroute/);
    expect(addressLine('fd00:21::5')?.replaceAll('fd00:21::', 'fd00:20::')).toBe(theirs);
  });

  it('noprefixroute really leaves the prefix route out; without it the route appears', async () => {
    expect(ip(ns, '-6', 'route', 'show', 'dev', 'd0')).not.toContain('fd00:21::/64');
    await addAddress(socket, { link: index, address: 'fd00:22::5/64', nodad: true });
    expect(ip(ns, '-6', 'route', 'show', 'dev', 'd0')).toContain('fd00:22::/64');
  });

  it('lifetimes match `ip addr add ... valid_lft preferred_lft`', async () => {
    ip(ns, 'addr', 'add', 'fd00:30::1/64', 'valid_lft', '3000', 'preferred_lft', '0', 'nodad', 'dev', 'd0');
    await addAddress(socket, { link: index, address: 'fd00:31::1/64', validLifetime: 3000, preferredLifetime: 0, nodad: true });
    const strip = (line: string | undefined) => line?.replace(/valid_lft \d+sec/, 'valid_lft Nsec');
    expect(strip(addressLine('fd00:31::1')?.replaceAll('fd00:31::', 'fd00:30::'))).toBe(strip(addressLine('fd00:30::1')));
    expect(addressLine('fd00:30::1')).toContain('deprecated');
  });

  it('delete removes it', async () => {
    await deleteAddress(socket, { link: index, address: 'fd00:21::5/64' });
    expect(addressLine('fd00:21::5')).toBeUndefined();
  });
});

describe('kernel refusals are typed errors', () => {
  it('adding twice is EEXIST with errno and operation', async () => {
    await addAddress(socket, { link: index, address: '10.40.0.1/24' });
    const error = await addAddress(socket, { link: index, address: '10.40.0.1/24' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NetlinkError);
    expect(error).toMatchObject({ code: 'EEXIST', errno: 17, syscall: 'netlink' });
    expect((error as NetlinkError).operation).toBe('RTM_NEWADDR 10.40.0.1/24 dev ' + index);
  });

  it('replace succeeds where add fails', async () => {
    // The kernel's IPv4 replace updates lifetimes and the prefix-route metric, not the label.
    await expect(addAddress(socket, { link: index, address: '10.40.0.1/24', metric: 9 }, { replace: true })).resolves.toBeUndefined();
    expect(addressLine('10.40.0.1')).toContain('metric 9');
  });

  it('a missing interface index is ENODEV with the kernel\'s extended-ACK text', async () => {
    const error = await addAddress(socket, { link: 99999, address: '10.41.0.1/24' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ENODEV', errno: 19 });
    expect((error as NetlinkError).extendedMessage).toMatch(/device not found/i);
  });

  it('a missing interface name is ENODEV', async () => {
    await expect(addAddress(socket, { link: 'ktsnl-none', address: '10.41.0.1/24' })).rejects.toMatchObject({ code: 'ENODEV' });
  });

  it('deleting an address that is not there is EADDRNOTAVAIL', async () => {
    await expect(deleteAddress(socket, { link: index, address: '10.42.0.1/24' })).rejects.toMatchObject({ code: 'EADDRNOTAVAIL', errno: 99 });
  });
});

describe('requests prepared for the addon (a take-over sends them right behind its advert)', () => {
  const request = (address: string): NetlinkRequest => ({
    type: RTM.NEWADDR, flags: NLM_F.CREATE | NLM_F.EXCL, payload: encodeAddressRequest({ link: index, address }, index), operation: `RTM_NEWADDR ${address}`,
  });

  it('sent by someone else, then tracked: the answer resolves it, a refusal rejects it with its errno', async () => {
    const prepared = socket.prepareRequest(request('10.50.0.7/24'))!;
    // What the addon does at the deadline: one sendto of the bytes to the kernel.
    expect(native().sendto(prepared.fd, prepared.bytes, prepared.peer, 0)).toBe(prepared.bytes.length);
    await expect(prepared.sent()).resolves.toEqual([]);
    expect(addressLine('10.50.0.7')).toMatch(/inet 10\.50\.0\.7\/24/);

    const again = socket.prepareRequest(request('10.50.0.7/24'))!;
    native().sendto(again.fd, again.bytes, again.peer, 0);
    await expect(again.sent()).rejects.toMatchObject({ code: 'EEXIST', errno: 17 });
    // Ordinary requests go on as before, their sequence numbers not mixed up with the prepared ones.
    await addAddress(socket, { link: index, address: '10.50.0.8/24' });
    expect(addressLine('10.50.0.8')).toBeDefined();
  });

  it('prepared and never sent costs nothing; dumps are never prepared', async () => {
    expect(socket.prepareRequest(request('10.51.0.1/24'))).toBeDefined();
    expect(socket.prepareRequest({ type: RTM.GETADDR, flags: NLM_F.DUMP, payload: Buffer.alloc(8) })).toBeUndefined();
    expect(socket.outstanding).toBe(0);
    expect((await listAddresses(socket)).some((a) => a.address === '10.51.0.1')).toBe(false);
  });
});
