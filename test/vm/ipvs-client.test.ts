// Our IPVS client's operations beyond plain adds, on the real kernel, checked through ipvsadm:
// edits, deletes, timeouts, zeroing, sync daemons, and refusals that explain themselves and
// leave the table as it was.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { IpvsClient } from '../../src/ipvs/client.js';
import { IpvsError } from '../../src/ipvs/errors.js';
import { applyRules, RestoreError } from '../../src/ipvs/restore.js';
import { formatDaemons } from '../../src/ipvs/text/list.js';
import { parseRules } from '../../src/ipvs/text/rules.js';
import type { Destination, Service } from '../../src/ipvs/types.js';
import { IpvsadmShell } from './ipvs-helpers.js';

let client: IpvsClient;
const shell = new IpvsadmShell();
const ipvsadm = (args: readonly string[], input?: string) => shell.ok(args, input);

const web: Service = {
  family: 'inet', protocol: 'tcp', address: '10.30.0.1', port: 80, scheduler: 'rr',
  persistence: null, netmask: 32, persistenceEngine: null, onePacket: false, schedulerFlags: [],
};
const server: Destination = {
  family: 'inet', address: '10.30.0.2', port: 80, forwarding: 'masq', weight: 1, upperThreshold: 0, lowerThreshold: 0,
  tunnelType: 'ipip', tunnelPort: 0, tunnelFlags: 0,
};

async function rejection(promise: Promise<unknown>): Promise<IpvsError> {
  const error = await promise.then(() => null, (caught: unknown) => caught);
  expect(error).toBeInstanceOf(IpvsError);
  return error as IpvsError;
}

beforeAll(async () => {
  client = await IpvsClient.open();
});

beforeEach(async () => {
  await client.flush();
  await client.addService(web);
  await client.addDestination(web, server);
});

afterAll(async () => {
  await client.flush();
  client.close();
  shell.close();
});

describe('IPVS client on a real kernel', () => {
  it('reports the version and connection table size ipvsadm shows', async () => {
    const info = await client.info();
    expect((await ipvsadm(['-Ln'])).split('\n')[0]).toBe(`IP Virtual Server version ${info.version} (size=${info.connectionTableSize})`);
  });

  it('edits a service and a destination in place and deletes them', async () => {
    await client.editService({ ...web, scheduler: 'wlc', persistence: 120, netmask: 24 });
    await client.editDestination(web, { ...server, weight: 7, forwarding: 'route', upperThreshold: 50, lowerThreshold: 5 });
    expect(await ipvsadm(['-Sn'])).toBe('-A -t 10.30.0.1:80 -s wlc -p 120 -M 255.255.255.0\n-a -t 10.30.0.1:80 -r 10.30.0.2:80 -g -w 7\n');
    expect(await client.destinations(web)).toMatchObject([{ upperThreshold: 50, lowerThreshold: 5 }]);
    await client.deleteDestination(web, server);
    expect(await ipvsadm(['-Sn'])).toBe('-A -t 10.30.0.1:80 -s wlc -p 120 -M 255.255.255.0\n');
    await client.deleteService(web);
    expect(await ipvsadm(['-Sn'])).toBe('');
  });

  it('reads and sets the connection timeouts', async () => {
    const before = await client.timeouts();
    try {
      await client.setTimeouts({ tcp: 100, tcpFin: 20, udp: 30 });
      expect(await ipvsadm(['-Ln', '--timeout'])).toBe('Timeout (tcp tcpfin udp): 100 20 30\n');
      await client.setTimeouts({ udp: 45 });
      expect(await client.timeouts()).toEqual({ tcp: 100, tcpFin: 20, udp: 45 });
    } finally {
      await client.setTimeouts(before);
    }
  });

  it('zeroes counters of one service or of all, and refuses a missing one', async () => {
    await client.zero(web);
    await client.zero();
    expect((await client.service(web)).stats.connections).toBe(0n);
    const error = await rejection(client.zero({ ...web, port: 81 }));
    expect(error.message).toContain('service TCP 10.30.0.1:81 does not exist');
  });

  it('starts, lists and stops a sync daemon as ipvsadm sees it', async () => {
    await client.startDaemon({ state: 'master', interface: 'lo', syncId: 9 });
    try {
      const daemons = await client.daemons();
      expect(daemons).toMatchObject([{ state: 'master', interface: 'lo', syncId: 9 }]);
      expect(formatDaemons(daemons)).toBe(await ipvsadm(['-L', '--daemon']));
      expect((await rejection(client.startDaemon({ state: 'master', interface: 'lo', syncId: 9 }))).code).toBe('EEXIST');
    } finally {
      await client.stopDaemon('master');
    }
    expect(await client.daemons()).toEqual([]);
  });

  it('explains refusals: unknown scheduler, duplicate service, missing service or destination', async () => {
    const before = await ipvsadm(['-Sn']);
    const unknownScheduler = await rejection(client.addService({ ...web, port: 81, scheduler: 'foo' }));
    expect(unknownScheduler).toMatchObject({ code: 'ENOENT', operation: 'NEW_SERVICE' });
    expect(unknownScheduler.message).toMatch(/^scheduler 'foo' not loaded/);
    expect((await rejection(client.addService(web))).message).toMatch(/^service TCP 10\.30\.0\.1:80 already exists/);
    expect((await rejection(client.addDestination({ ...web, port: 99 }, server))).message)
      .toMatch(/^service TCP 10\.30\.0\.1:99 does not exist, so destination 10\.30\.0\.2:80 cannot be added to it/);
    expect((await rejection(client.addDestination(web, server))).message).toMatch(/^destination 10\.30\.0\.2:80 already exists in service TCP 10\.30\.0\.1:80/);
    expect((await rejection(client.deleteDestination(web, { ...server, address: '10.30.0.99' }))).message)
      .toMatch(/^destination 10\.30\.0\.99:80 does not exist in service TCP 10\.30\.0\.1:80/);
    expect((await rejection(client.deleteService({ ...web, port: 1 }))).code).toBe('ESRCH');
    expect(await ipvsadm(['-Sn'])).toBe(before);
  });

  it('applies bulk changes across many datagrams and names the first one the kernel refuses', async () => {
    const destinations = Array.from({ length: 300 }, (_, i): Destination => ({ ...server, address: `10.32.${i >> 7}.${(i & 0x7f) + 1}` }));
    const changes = destinations.map((destination) => ({ kind: 'addDestination' as const, service: web, destination }));
    expect(await client.apply(changes)).toBeNull();
    expect(await client.destinations(web)).toHaveLength(301);
    const failure = await client.apply([...changes.slice(0, 150).map((change) => ({ ...change, kind: 'editDestination' as const })), changes[7]!]);
    expect(failure?.index).toBe(150);
    expect(failure?.error.message).toMatch(/^destination 10\.32\.0\.8:80 already exists in service TCP 10\.30\.0\.1:80/);
  });

  it('rolls a restore back when the kernel refuses one of its lines, naming that line', async () => {
    const before = await ipvsadm(['-Sn']);
    const { rules, errors } = parseRules([
      '-A -t 10.31.0.1:80 -s rr',
      '-a -t 10.31.0.1:80 -r 10.31.0.2:80 -m -w 1',
      '-D -t 10.30.0.1:80',
      '-A -t 10.31.0.3:80 -s nosuchsched',
      '-A -t 10.31.0.4:80 -s rr',
    ].join('\n'));
    expect(errors).toEqual([]);
    const error = await applyRules(client, rules).then(() => null, (caught: unknown) => caught);
    expect(error).toBeInstanceOf(RestoreError);
    expect((error as RestoreError).line).toBe(4);
    expect((error as RestoreError).message).toBe("line 4: scheduler 'nosuchsched' not loaded [NEW_SERVICE ENOENT]; nothing was changed");
    expect(await ipvsadm(['-Sn'])).toBe(before);
  });
});
