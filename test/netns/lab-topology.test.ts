// The lab's topology and observers against the real kernel, without any VRRP daemon: the bridge
// joins every member, port isolation partitions the directors from each other only, the VIP watch
// follows address changes in the directors' namespaces, the client's capture sees a GARP from the
// right MAC, the pinger's replies stop and resume, and deleting the namespaces leaves nothing.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GarpCapture } from '../../src/lab/garp-capture.js';
import { longestGap, wallClockMs } from '../../src/lab/measure.js';
import { newRunId } from '../../src/lab/names.js';
import { PingProbe } from '../../src/lab/ping-probe.js';
import { conditionalIds, planLab, type LabPlan } from '../../src/lab/plan.js';
import { LabProcesses } from '../../src/lab/processes.js';
import { buildTopology, deleteNamespaces, isolatePorts, type Topology } from '../../src/lab/topology.js';
import { VipWatch } from '../../src/lab/vip-watch.js';

const VIP = '192.0.2.100';
const never = new AbortController().signal;
const created: string[] = [];
const processes = new LabProcesses();
let plan: LabPlan;
let topology: Topology;
let watch: VipWatch | undefined;

const pingOnce = (from: string, to: string) => spawnSync('ip', ['netns', 'exec', from, 'ping', '-c1', '-W1', to]).status === 0;
/** A fresh veth may take a moment to carry traffic on a busy host: a few tries. */
const reachable = (from: string, to: string) => [1, 2, 3, 4, 5].some(() => pingOnce(from, to));
async function until(condition: () => boolean, timeoutMs = 5_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return true;
}
const ip = (namespace: string, ...args: string[]) => {
  const result = spawnSync('ip', ['-n', namespace, ...args], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(result.stderr);
};

beforeAll(() => {
  const file = join(import.meta.dirname, '..', '..', 'conf.examples', 'master-backup.conf');
  const text = readFileSync(file, 'utf8');
  const planned = planLab(text, file, conditionalIds(text));
  if (!planned.ok) throw new Error(planned.error);
  plan = planned.plan;
  topology = buildTopology(newRunId(), plan, created, 'ktslab-');
});

afterAll(() => {
  watch?.close();
  processes.killAll();
  deleteNamespaces(created);
});

describe('lab topology', () => {
  it('names every namespace with the prefix and run id, and joins everyone on one LAN', () => {
    expect(created.every((name) => name.startsWith(`ktslab-${topology.runId}-`))).toBe(true);
    expect(created).toEqual(['br', 'lb1', 'lb2', 'rs1', 'rs2', 'client'].map((role) => topology.namespaceOf(role)));
    expect(reachable(topology.client.namespace, '192.0.2.11')).toBe(true);
    expect(reachable(topology.client.namespace, '192.0.2.22')).toBe(true);
    expect(reachable(topology.namespaceOf('lb1'), '192.0.2.12')).toBe(true);
  });

  it('isolating the directors cuts them off from each other but not from the client', () => {
    isolatePorts(topology, ['lb1', 'lb2'], ['eth0'], true);
    try {
      expect(pingOnce(topology.namespaceOf('lb1'), '192.0.2.12')).toBe(false);
      expect(reachable(topology.client.namespace, '192.0.2.12')).toBe(true);
    } finally {
      isolatePorts(topology, ['lb1', 'lb2'], ['eth0'], false);
    }
    expect(reachable(topology.namespaceOf('lb1'), '192.0.2.12')).toBe(true);
  });

  it('the VIP watch, GARP capture and pinger see a VIP move from lb1 to lb2', async () => {
    const [lb1, lb2] = topology.directors;
    watch = await VipWatch.open(VIP, new Map(topology.directors.map((member) => [member.role, member.namespace])));
    expect(watch.holders.size).toBe(0);
    const garp = await GarpCapture.start(processes, topology.client.namespace, 'eth0');
    const ping = new PingProbe(processes, topology.client.namespace, VIP);

    const onLb1 = watch.waitFor((holders) => holders.has('lb1'), 5_000, never);
    ip(lb1!.namespace, 'addr', 'add', `${VIP}/32`, 'dev', 'eth0');
    expect(await onLb1).toBeDefined();
    expect(await until(() => ping.replies.length > 5)).toBe(true);

    const t0 = wallClockMs();
    const moved = watch.waitFor((holders) => holders.size === 1 && holders.has('lb2'), 5_000, never);
    ip(lb1!.namespace, 'addr', 'del', `${VIP}/32`, 'dev', 'eth0');
    await new Promise((resolve) => setTimeout(resolve, 200));
    ip(lb2!.namespace, 'addr', 'add', `${VIP}/32`, 'dev', 'eth0');
    const movedAt = await moved;
    expect(movedAt! - t0).toBeGreaterThanOrEqual(200);
    // The client still has lb1's MAC for the VIP until a gratuitous ARP tells it otherwise.
    spawnSync('ip', ['netns', 'exec', lb2!.namespace, 'arping', '-q', '-U', '-c1', '-i', 'eth0', '-S', VIP, VIP]);
    expect(await until(() => garp.first(VIP, t0, lb2!.macs.get('eth0')) !== undefined)).toBe(true);
    const announcement = garp.first(VIP, t0, lb2!.macs.get('eth0'));
    expect(watch.changes.map((change) => [change.director, change.held])).toEqual([['lb1', true], ['lb1', false], ['lb2', true]]);
    const gap = longestGap(ping.replies, t0, wallClockMs());
    expect(gap).toBeGreaterThanOrEqual(200);
    expect(await until(() => ping.replies.at(-1)! > announcement!.time)).toBe(true);
  });

  it('deleting the namespaces removes every one of them', () => {
    watch?.close();
    processes.killAll();
    deleteNamespaces(created);
    for (const name of created) expect(existsSync(`/run/netns/${name}`)).toBe(false);
  });
});
