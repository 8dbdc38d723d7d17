// The pure diff between the IPVS table we want and the kernel's: the fewest changes that make
// the kernel hold what is desired, touching only entries we own. We own a service that our config
// names or that we created earlier (still listed in `owned` after it left the config, e.g. on
// reload), and inside our services the destinations our config names (any real or sorry server
// of that virtual server, up or down) or that we created. Everything else in the table belongs to
// another tool and is left alone, also a foreign destination inside one of our services.
import type { IpvsChange } from '../ipvs/client.js';
import type { Destination, Service, ServiceEntry, ServiceKey } from '../ipvs/types.js';
import { canonicalAddress } from './address-range.js';
import type { DesiredService } from './desired.js';

/** What an earlier run of ours put in the table (services, and destinations per service). */
export interface Owned {
  readonly services: ReadonlyMap<string, ServiceKey>;
  readonly destinations: ReadonlyMap<string, ReadonlyMap<string, Destination>>;
}

export const NOTHING_OWNED: Owned = { services: new Map(), destinations: new Map() };

export function serviceKeyId(key: ServiceKey): string {
  return key.fwmark !== undefined ? `${key.family}|fwmark|${key.fwmark}` : `${key.family}|${key.protocol}|${canonicalAddress(key.address)}|${key.port}`;
}

export function destinationKeyId(destination: Pick<Destination, 'address' | 'port'>): string {
  return `${canonicalAddress(destination.address)}|${destination.port}`;
}

export interface ReconcilePlan {
  readonly changes: readonly IpvsChange[];
  /** What we own once the changes are applied. */
  readonly owned: Owned;
}

export function reconcile(desired: readonly DesiredService[], kernel: readonly ServiceEntry[], owned: Owned): ReconcilePlan {
  const changes: IpvsChange[] = [];
  const kernelById = new Map(kernel.map((entry) => [serviceKeyId(entry.service), entry]));
  const ownedServices = new Map<string, ServiceKey>();
  const ownedDestinations = new Map<string, Map<string, Destination>>();

  for (const want of mergeSameService(desired)) {
    const id = serviceKeyId(want.service);
    ownedServices.set(id, serviceKeyOf(want.service));
    const mine = new Map<string, Destination>();
    ownedDestinations.set(id, mine);
    const current = kernelById.get(id);
    if (!current) {
      changes.push({ kind: 'addService', service: want.service });
      for (const destination of want.destinations) {
        changes.push({ kind: 'addDestination', service: want.service, destination });
        mine.set(destinationKeyId(destination), destination);
      }
      continue;
    }
    if (!sameServiceOptions(want.service, current.service)) changes.push({ kind: 'editService', service: want.service });
    const inKernel = new Map(current.destinations.map((d) => [destinationKeyId(d), d]));
    const wanted = new Map(want.destinations.map((d) => [destinationKeyId(d), d]));
    const claimable = new Set([...want.named.map(destinationKeyId), ...(owned.destinations.get(id)?.keys() ?? [])]);
    for (const [key, current] of inKernel) {
      if (!wanted.has(key) && claimable.has(key)) changes.push({ kind: 'deleteDestination', service: want.service, destination: current });
    }
    for (const [key, destination] of wanted) {
      const present = inKernel.get(key);
      if (!present) changes.push({ kind: 'addDestination', service: want.service, destination });
      else if (!sameDestination(destination, present)) changes.push({ kind: 'editDestination', service: want.service, destination });
      mine.set(key, destination);
    }
  }

  for (const [id, key] of owned.services) {
    if (!ownedServices.has(id) && kernelById.has(id)) changes.push({ kind: 'deleteService', service: key });
  }
  return { changes, owned: { services: ownedServices, destinations: ownedDestinations } };
}

/** The changes that remove everything we own (shutdown without -I). */
export function removeOwned(kernel: readonly ServiceEntry[], owned: Owned): IpvsChange[] {
  return kernel.filter((entry) => owned.services.has(serviceKeyId(entry.service))).map((entry) => ({ kind: 'deleteService', service: serviceKeyOf(entry.service) }));
}

/**
 * Two virtual servers (or group members) that resolve to one kernel service share it: the first
 * one's options win and the destinations are joined (as the kernel would hold them).
 */
function mergeSameService(desired: readonly DesiredService[]): DesiredService[] {
  const byId = new Map<string, DesiredService>();
  for (const want of desired) {
    const id = serviceKeyId(want.service);
    const earlier = byId.get(id);
    if (!earlier) {
      byId.set(id, want);
      continue;
    }
    const taken = new Set(earlier.destinations.map(destinationKeyId));
    byId.set(id, {
      ...earlier,
      destinations: [...earlier.destinations, ...want.destinations.filter((d) => !taken.has(destinationKeyId(d)))],
      named: [...earlier.named, ...want.named],
    });
  }
  return [...byId.values()];
}

function serviceKeyOf(service: Service | ServiceKey): ServiceKey {
  return service.fwmark !== undefined
    ? { family: service.family, fwmark: service.fwmark }
    : { family: service.family, protocol: service.protocol, address: service.address, port: service.port };
}

function sameServiceOptions(a: Service, b: Service): boolean {
  return a.scheduler === b.scheduler
    && a.persistence === b.persistence
    && (a.persistence === null || a.netmask === b.netmask)
    && (a.persistenceEngine ?? null) === (b.persistenceEngine ?? null)
    && a.onePacket === b.onePacket
    && [...a.schedulerFlags].sort().join() === [...b.schedulerFlags].sort().join();
}

/** The kernel reports 'local' for a destination on this host whatever method was asked for. */
function sameDestination(want: Destination, have: Destination): boolean {
  return want.weight === have.weight
    && (want.forwarding === have.forwarding || have.forwarding === 'local')
    && want.upperThreshold === have.upperThreshold
    && want.lowerThreshold === have.lowerThreshold
    && (want.forwarding !== 'tunnel' || (want.tunnelType === have.tunnelType && want.tunnelPort === have.tunnelPort && want.tunnelFlags === have.tunnelFlags));
}
