// A backup's take-over sent by the addon at the master-down deadline (instance-driver.ts,
// native/deadline-send.c), on the real kernel: a lone backup hears no master, and at the deadline
// its advert and the RTM_NEWADDR of each VIP leave from the addon; the VIPs are then in the
// kernel, the virtual route that needs them follows, nothing is counted as failed, and the
// reducer's own send did not send the advert a second time.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/common/logger.js';
import { loadConfigText } from '../../src/config/load.js';
import { enterNetworkNamespace } from '../../src/sys/interfaces.js';
import { instanceDefinitions } from '../../src/vrrp/instance-config.js';
import { VrrpRuntime } from '../../src/vrrp/runtime/index.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCapture } from '../support/netns-raw.js';
import { ethernetPayload, readPcap } from '../support/pcap.js';
import { createVrrpLab, hasAddress, sh, vrrpConfig, waitFor, type VrrpLab } from '../support/vrrp-lab.js';

const VIP = '10.70.0.100';
const SECOND_VIP = '10.70.0.101';

describe('take-over from the addon at the master-down deadline', () => {
  let lab: VrrpLab;
  let runtime: VrrpRuntime | undefined;

  const scratch = mkdtempSync(join(tmpdir(), 'kvt-td-'));

  beforeAll(() => {
    lab = createVrrpLab('td', 70, 1);
  });

  afterAll(async () => {
    await runtime?.stop();
    lab?.destroy();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('sends the advert and the VIP requests at the deadline; the VIPs and the route follow, once', async () => {
    const namespace = lab.directors[0]!.namespace;
    enterNetworkNamespace(namespace); // this test file's process stays in the director's namespace
    const text = vrrpConfig([{
      name: 'VI_TD', vrid: 70, priority: 100, vip: `${VIP}/24`, version: 3, advertInt: 0.1,
      extra: ['virtual_ipaddress_excluded {', `  ${SECOND_VIP}/24`, '}', 'virtual_routes {', `  10.170.0.0/16 via 10.70.0.1 src ${VIP}`, '}'],
    }]);
    const { config } = loadConfigText(text, 'td.conf', { system: null });
    const pcap = join(scratch, 'adverts.pcap');
    const capture = await startCapture(namespace, 'eth0', pcap, 'ip proto 112', 1000);
    runtime = await VrrpRuntime.start({ instances: instanceDefinitions(config), logger: silentLogger() });
    const r = runtime;
    await waitFor(() => r.instanceStates()['VI_TD'] === 'MASTER', 5000, 'MASTER after Master_Down_Interval');
    await waitFor(() => hasAddress(namespace, VIP) && hasAddress(namespace, SECOND_VIP), 2000, 'both VIPs');
    await waitFor(() => sh('ip', ['-n', namespace, 'route', 'show', '10.170.0.0/16']).includes(`src ${VIP}`), 2000, 'the virtual route');
    const stats = r.stats().instances['VI_TD']!;
    expect(stats.takeOversAtDeadline).toBe(1);
    expect(stats.vipRequestsAtDeadline).toBe(2);
    expect(stats.kernelFailures).toBe(0);
    expect(stats.sendFailures).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 250)); // two more adverts of the advert timer
    await r.stop();
    runtime = undefined;
    await capture.stop();
    // One advert at the take-over, not two: the ones after it are the advert timer's, 100 ms apart.
    // (IPv4 header 20 bytes, then VRRP: priority is its third byte.)
    const priorities = readPcap(pcap).records.map((record) => ({ at: record.timestamp, packet: ethernetPayload(record.data, 0x0800)! }));
    const times = priorities.filter(({ packet }) => packet[20 + 2] === 100).map(({ at }) => at);
    expect(times.length).toBeGreaterThanOrEqual(3);
    for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeGreaterThan(0.05);
    expect(priorities.at(-1)!.packet[20 + 2]).toBe(0); // the stop's priority 0
  });
});
