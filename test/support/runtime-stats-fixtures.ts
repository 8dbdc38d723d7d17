// Hand-made RuntimeStats for unit tests of the status, metrics and dump renderers.
import type { InstanceStats, RuntimeStats } from '../../src/vrrp/runtime/runtime.js';

export function instanceStats(overrides: Partial<InstanceStats> = {}): InstanceStats {
  return {
    state: 'BACKUP', vrid: 51, interfaceName: 'eth1', basePriority: 100, effectivePriority: 70,
    masterAddress: '10.0.0.2', faults: [], advertsSent: 3, advertsReceived: 40, sendFailures: 0,
    gratuitousSent: 5, kernelFailures: 0, transitions: 2, becameMaster: 1, releasedMaster: 1, priorityZeroReceived: 0, priorityZeroSent: 0,
    takeOversAtDeadline: 1, vipRequestsAtDeadline: 1,
    lastTransition: { from: 'MASTER', to: 'BACKUP', reason: 'higherPriorityAdvert', detail: 'advert from 10.0.0.2 priority 90 > 70', at: 5_000 },
    drops: { 'bad-ttl': 2 }, timerLateness: { count: 10, late: 1, maxMs: 25, p99UpperBoundMs: 32 },
    ...overrides,
  };
}

export function runtimeStats(instances: Record<string, InstanceStats>): RuntimeStats {
  return { instances, sockets: { 'eth1/ipv4/multicast': { received: 42, drops: { 'unknown-vrid': 1 } } }, loopLag: { p50Ms: 0.5, p99Ms: 2, maxMs: 4 } };
}
