// /metrics: the exposition carries states, priorities, transitions, adverts, drops by reason,
// timer lateness, loop lag, tracker results, checker results and IPVS counters, and passes `promtool check metrics`
// (Debian's prometheus package; with CI=true a missing promtool fails the test).
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { createVrrpMetrics } from '../../src/daemon/metrics.js';
import { TrackerLog } from '../../src/daemon/status-trackers.js';
import { checkerSnapshot } from '../support/checker-snapshot-fixtures.js';
import { instanceStats, runtimeStats } from '../support/runtime-stats-fixtures.js';

const log = new TrackerLog();
log.record('VI_1', { name: 'chk_nginx', weight: -30, reverse: false, up: false });
let calls = 0;
const metrics = createVrrpMetrics({
  stats: () => {
    calls++;
    return runtimeStats({ VI_1: instanceStats(), VI_2: instanceStats({ state: 'MASTER', vrid: 52, drops: {} }) });
  },
  trackersOf: (name) => log.of(name),
  checkerSnapshot: async () => checkerSnapshot(),
});

function promtool(): string | undefined {
  const found = spawnSync('promtool', ['--version'], { stdio: 'ignore' });
  return found.error === undefined && found.status === 0 ? 'promtool' : undefined;
}

describe('/metrics exposition', () => {
  it('reads stats() once per scrape', async () => {
    calls = 0;
    await metrics.render();
    expect(calls).toBe(1);
  });

  it('carries every family with its values', async () => {
    const text = await metrics.render();
    expect(text).toContain('keepalived_ts_vrrp_instance_state{instance="VI_1",state="BACKUP"} 1');
    expect(text).toContain('keepalived_ts_vrrp_instance_state{instance="VI_1",state="MASTER"} 0');
    expect(text).toContain('keepalived_ts_vrrp_instance_state{instance="VI_2",state="MASTER"} 1');
    expect(text).toContain('keepalived_ts_vrrp_effective_priority{instance="VI_1"} 70');
    expect(text).toContain('keepalived_ts_vrrp_base_priority{instance="VI_1"} 100');
    expect(text).toContain('keepalived_ts_vrrp_transitions_total{instance="VI_1"} 2');
    expect(text).toContain('keepalived_ts_vrrp_adverts_sent_total{instance="VI_1"} 3');
    expect(text).toContain('keepalived_ts_vrrp_adverts_received_total{instance="VI_1"} 40');
    expect(text).toContain('keepalived_ts_vrrp_takeovers_at_deadline_total{instance="VI_1"} 1');
    expect(text).toContain('keepalived_ts_vrrp_vip_requests_at_deadline_total{instance="VI_1"} 1');
    expect(text).toContain('keepalived_ts_vrrp_drops_total{instance="VI_1",socket="",reason="bad-ttl"} 2');
    expect(text).toContain('keepalived_ts_vrrp_drops_total{instance="",socket="eth1/ipv4/multicast",reason="unknown-vrid"} 1');
    expect(text).toContain('keepalived_ts_vrrp_timer_late_total{instance="VI_1"} 1');
    expect(text).toContain('keepalived_ts_vrrp_timer_lateness_max_seconds{instance="VI_1"} 0.025');
    expect(text).toContain('keepalived_ts_vrrp_event_loop_lag_p99_seconds 0.002');
    expect(text).toContain('keepalived_ts_vrrp_tracker_up{instance="VI_1",tracker="chk_nginx"} 0');
    expect(text).toContain('keepalived_ts_vrrp_tracker_weight{instance="VI_1",tracker="chk_nginx"} -30');
  });

  it('carries the checker\'s results and the IPVS counters', async () => {
    const text = await metrics.render();
    const rs1 = 'virtual_server="TCP:10.0.0.100:80",real_server="10.0.0.100:80/10.0.0.1:80"';
    const rs2 = 'virtual_server="TCP:10.0.0.100:80",real_server="10.0.0.100:80/10.0.0.2:80"';
    expect(text).toContain('keepalived_ts_check_snapshot_available 1');
    expect(text).toContain(`keepalived_ts_check_real_server_up{${rs1}} 1`);
    expect(text).toContain(`keepalived_ts_check_real_server_up{${rs2}} 0`);
    expect(text).toContain(`keepalived_ts_check_failures_total{${rs2}} 3`);
    expect(text).toContain(`keepalived_ts_check_last_latency_seconds{${rs1}} 0.0032`);
    expect(text).toContain('keepalived_ts_ipvs_service_connections_total{virtual_server="TCP:10.0.0.100:80",service="TCP 10.0.0.100:80"} 12');
    expect(text).toContain('keepalived_ts_ipvs_service_bytes_total{virtual_server="TCP:10.0.0.100:80",service="TCP 10.0.0.100:80",direction="out"} 48000');
    expect(text).toContain(`keepalived_ts_ipvs_destination_active_connections{${rs1}} 1`);
    expect(text).not.toContain(`keepalived_ts_ipvs_destination_active_connections{${rs2}}`);
  });

  it('passes promtool check metrics', async () => {
    const tool = promtool();
    if (tool === undefined) {
      expect(process.env['CI'], 'promtool is missing: install Debian\'s prometheus package (scripts/install-system-deps.sh)').not.toBe('true');
      return;
    }
    const text = await metrics.render();
    const result = spawnSync(tool, ['check', 'metrics'], { input: text, encoding: 'utf8' });
    expect(`${result.stdout}${result.stderr}`).toBe('');
    expect(result.status).toBe(0);
  });
});
