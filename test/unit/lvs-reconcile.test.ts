// reconcile.ts: the minimal diff between desired and kernel tables, touching only what we own.
import { describe, expect, it } from 'vitest';
import type { Destination, DestinationState, IpvsStats, Service, ServiceEntry } from '../../src/ipvs/types.js';
import type { DesiredService } from '../../src/lvs/desired.js';
import { NOTHING_OWNED, reconcile, removeOwned } from '../../src/lvs/reconcile.js';

const service = (address: string, extra: Partial<Service> = {}): Service => ({
  family: 'inet', protocol: 'tcp', address, port: 80,
  scheduler: 'wrr', persistence: null, netmask: 32, persistenceEngine: null, onePacket: false, schedulerFlags: [],
  ...extra,
} as Service);

const destination = (address: string, weight = 1, extra: Partial<Destination> = {}): Destination => ({
  family: 'inet', address, port: 80, weight, forwarding: 'masq', upperThreshold: 0, lowerThreshold: 0, tunnelType: 'ipip', tunnelPort: 0, tunnelFlags: 0,
  ...extra,
});

const zero: IpvsStats = {
  connections: 0n, inPackets: 0n, outPackets: 0n, inBytes: 0n, outBytes: 0n,
  connectionsPerSecond: 0n, inPacketsPerSecond: 0n, outPacketsPerSecond: 0n, inBytesPerSecond: 0n, outBytesPerSecond: 0n,
};

const inKernel = (s: Service, destinations: Destination[]): ServiceEntry => ({
  service: { ...s, stats: zero },
  destinations: destinations.map((d): DestinationState => ({ ...d, activeConnections: 0, inactiveConnections: 0, persistentConnections: 0, stats: zero })),
});

const want = (s: Service, destinations: Destination[], named: Destination[] = destinations): DesiredService => ({
  virtualServerId: `TCP:${s.address}:80`, service: s, destinations, named,
});

const kinds = (changes: readonly { kind: string }[]) => changes.map((c) => c.kind);

describe('reconcile', () => {
  const vip = service('10.0.0.100');

  it('adds a missing service with its destinations', () => {
    const plan = reconcile([want(vip, [destination('10.0.0.1'), destination('10.0.0.2')])], [], NOTHING_OWNED);
    expect(kinds(plan.changes)).toEqual(['addService', 'addDestination', 'addDestination']);
  });

  it('changes nothing when the kernel already holds the desired table', () => {
    const d = [destination('10.0.0.1', 3)];
    expect(reconcile([want(vip, d)], [inKernel(vip, d)], NOTHING_OWNED).changes).toEqual([]);
  });

  it('applies only the difference: a weight edit, a removal, an addition', () => {
    const plan = reconcile(
      [want(vip, [destination('10.0.0.1', 5), destination('10.0.0.3')], [destination('10.0.0.1'), destination('10.0.0.2'), destination('10.0.0.3')])],
      [inKernel(vip, [destination('10.0.0.1', 1), destination('10.0.0.2')])],
      NOTHING_OWNED,
    );
    expect(plan.changes.map((c) => `${c.kind} ${'destination' in c ? c.destination.address : ''}`)).toEqual([
      'deleteDestination 10.0.0.2', 'editDestination 10.0.0.1', 'addDestination 10.0.0.3',
    ]);
  });

  it('edits the service when its scheduler or persistence changed', () => {
    const plan = reconcile([want(service('10.0.0.100', { scheduler: 'rr', persistence: 60 }), [])], [inKernel(vip, [])], NOTHING_OWNED);
    expect(kinds(plan.changes)).toEqual(['editService']);
  });

  it('leaves alone services and destinations of other tools', () => {
    const foreign = service('10.9.9.9');
    const plan = reconcile(
      [want(vip, [destination('10.0.0.1')])],
      [inKernel(vip, [destination('10.0.0.1'), destination('10.0.7.7')]), inKernel(foreign, [destination('10.0.0.1')])],
      NOTHING_OWNED,
    );
    expect(plan.changes).toEqual([]);
  });

  it('deletes a service it owned that left the config, and a destination it created that is no longer named', () => {
    const first = reconcile([want(vip, [destination('10.0.0.1'), destination('10.0.0.2')]), want(service('10.0.0.200'), [])], [], NOTHING_OWNED);
    const kernel = [inKernel(vip, [destination('10.0.0.1'), destination('10.0.0.2')]), inKernel(service('10.0.0.200'), [])];
    const second = reconcile([want(vip, [destination('10.0.0.1')])], kernel, first.owned);
    expect(second.changes.map((c) => `${c.kind} ${'destination' in c ? c.destination.address : c.kind === 'flush' ? '' : c.service.address}`)).toEqual([
      'deleteDestination 10.0.0.2', 'deleteService 10.0.0.200',
    ]);
  });

  it('takes a local destination as matching whatever method was asked for', () => {
    const plan = reconcile([want(vip, [destination('10.0.0.1', 1, { forwarding: 'route' })])], [inKernel(vip, [destination('10.0.0.1', 1, { forwarding: 'local' })])], NOTHING_OWNED);
    expect(plan.changes).toEqual([]);
  });

  it('joins two desired services that are one kernel service', () => {
    const plan = reconcile([want(vip, [destination('10.0.0.1')]), want(vip, [destination('10.0.0.2'), destination('10.0.0.1', 9)])], [], NOTHING_OWNED);
    expect(plan.changes.filter((c) => c.kind === 'addDestination')).toHaveLength(2);
  });

  it('removes on stop only the services it owns', () => {
    const plan = reconcile([want(vip, [destination('10.0.0.1')])], [], NOTHING_OWNED);
    const changes = removeOwned([inKernel(vip, [destination('10.0.0.1')]), inKernel(service('10.9.9.9'), [])], plan.owned);
    expect(changes).toEqual([{ kind: 'deleteService', service: { family: 'inet', protocol: 'tcp', address: '10.0.0.100', port: 80 } }]);
  });

  it('compares IPv6 addresses in any spelling', () => {
    const v6 = service('2001:db8::1', { family: 'inet6', netmask: 128 });
    const kernelV6 = service('2001:db8:0:0::1', { family: 'inet6', netmask: 128 });
    const d = [destination('2001:db8::2', 1, { family: 'inet6' })];
    expect(reconcile([want(v6, d)], [inKernel(kernelV6, [destination('2001:0db8::2', 1, { family: 'inet6' })])], NOTHING_OWNED).changes).toEqual([]);
  });
});
