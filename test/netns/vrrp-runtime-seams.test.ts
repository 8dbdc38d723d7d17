// The runtime's seams, driven in-process in a director namespace: tracker updates change the
// effective priority or put the instance in FAULT (VIP removed, transition reported), and
// clearing them brings it back; stats() reports it all; sync-group members move together.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/common/logger.js';
import { loadConfigText } from '../../src/config/load.js';
import { enterNetworkNamespace } from '../../src/sys/interfaces.js';
import { instanceDefinitions } from '../../src/vrrp/instance-config.js';
import { VrrpRuntime } from '../../src/vrrp/runtime/index.js';
import type { Transition } from '../../src/vrrp/types.js';
import { createVrrpLab, hasAddress, vrrpConfig, waitFor, type VrrpLab } from '../support/vrrp-lab.js';

const VIP = '10.69.0.100';

describe('VrrpRuntime tracker and notification seams', () => {
  let lab: VrrpLab;
  let runtime: VrrpRuntime | undefined;

  beforeAll(() => {
    lab = createVrrpLab('tr', 69, 1);
  });

  afterAll(async () => {
    await runtime?.stop();
    lab?.destroy();
  });

  it('turns tracker updates into priority changes and FAULT, and reports every transition', async () => {
    const namespace = lab.directors[0]!.namespace;
    // This test process stays in the director's namespace (vitest runs each file in its own process).
    enterNetworkNamespace(namespace);
    const { config } = loadConfigText(vrrpConfig([{ name: 'VI_T', vrid: 69, priority: 100, vip: `${VIP}/24`, version: 3, advertInt: 0.1 }]), 'trackers.conf', { system: null });
    const transitions: { name: string; transition: Transition; priority: number }[] = [];
    runtime = await VrrpRuntime.start({
      instances: instanceDefinitions(config),
      logger: silentLogger(),
      onTransition: (name, transition, priority) => transitions.push({ name, transition, priority }),
      initialTrackers: () => [{ name: 'chk_web', weight: 20, reverse: false, up: true }],
    });
    const r = runtime;
    await waitFor(() => r.instanceStates()['VI_T'] === 'MASTER', 5000, 'MASTER');
    expect(r.stats().instances['VI_T']!.effectivePriority).toBe(120);
    await waitFor(() => hasAddress(namespace, VIP), 2000, 'the VIP');

    r.updateTracker('VI_T', { name: 'chk_web', weight: 20, reverse: false, up: false });
    expect(r.stats().instances['VI_T']!.effectivePriority).toBe(100);

    r.updateTracker('VI_T', { name: 'chk_db', weight: 0, reverse: false, up: false });
    expect(r.instanceStates()['VI_T']).toBe('FAULT');
    await waitFor(() => !hasAddress(namespace, VIP), 2000, 'the VIP to go in FAULT');
    expect(r.stats().instances['VI_T']!.faults).toEqual(['chk_db failing']);

    r.updateTracker('VI_T', { name: 'chk_db', weight: 0, reverse: false, up: true });
    expect(r.instanceStates()['VI_T']).toBe('BACKUP');
    await waitFor(() => r.instanceStates()['VI_T'] === 'MASTER', 2000, 'MASTER again');
    await waitFor(() => hasAddress(namespace, VIP), 2000, 'the VIP back');

    expect(transitions.map((t) => `${t.transition.from}->${t.transition.to}`)).toEqual(['INIT->BACKUP', 'BACKUP->MASTER', 'MASTER->FAULT', 'FAULT->BACKUP', 'BACKUP->MASTER']);
    expect(transitions.every((t) => t.name === 'VI_T')).toBe(true);
    const stats = r.stats().instances['VI_T']!;
    expect(stats.transitions).toBe(5);
    expect(stats.advertsSent).toBeGreaterThan(0);
    await r.stop();
    expect(hasAddress(namespace, VIP)).toBe(false);
    runtime = undefined;
  });

  it('moves the members of a vrrp_sync_group together: one member in FAULT drags the other', async () => {
    const namespace = lab.directors[0]!.namespace;
    enterNetworkNamespace(namespace);
    const text = vrrpConfig([
      { name: 'VI_A', vrid: 70, priority: 100, vip: '10.69.0.170/24', version: 3, advertInt: 0.1 },
      { name: 'VI_B', vrid: 71, priority: 100, vip: '10.69.0.171/24', version: 3, advertInt: 0.1 },
    ]) + 'vrrp_sync_group G1 {\n  group {\n    VI_A\n    VI_B\n  }\n}\n';
    const { config } = loadConfigText(text, 'sync.conf', { system: null });
    const groupStates: string[] = [];
    runtime = await VrrpRuntime.start({ instances: instanceDefinitions(config), logger: silentLogger(), onGroupTransition: (group, to) => groupStates.push(`${group} ${to}`) });
    const r = runtime;
    await waitFor(() => r.instanceStates()['VI_A'] === 'MASTER' && r.instanceStates()['VI_B'] === 'MASTER', 5000, 'both MASTER');

    r.updateTracker('VI_A', { name: 'chk_a', weight: 0, reverse: false, up: false });
    expect(r.instanceStates()).toEqual({ VI_A: 'FAULT', VI_B: 'FAULT' });
    expect(r.stats().instances['VI_B']!.faults).toEqual(['sync group G1']);
    await waitFor(() => !hasAddress(namespace, '10.69.0.170') && !hasAddress(namespace, '10.69.0.171'), 2000, 'both VIPs to go');

    r.updateTracker('VI_A', { name: 'chk_a', weight: 0, reverse: false, up: true });
    expect(r.instanceStates()).toEqual({ VI_A: 'BACKUP', VI_B: 'BACKUP' });
    await waitFor(() => hasAddress(namespace, '10.69.0.170') && hasAddress(namespace, '10.69.0.171'), 3000, 'both VIPs back');
    expect(r.instanceStates()).toEqual({ VI_A: 'MASTER', VI_B: 'MASTER' });
    expect(groupStates).toEqual(['G1 BACKUP', 'G1 MASTER', 'G1 FAULT', 'G1 BACKUP', 'G1 MASTER']);
  });
});
