// The checker part of /metrics: real server health and check results (keepalived_ts_check_*) and
// the kernel's IPVS counters per service and destination (keepalived_ts_ipvs_*), read from the
// checker process' snapshot of the current scrape. Without a snapshot (no checker process, or it
// did not answer in time) the families are empty and keepalived_ts_check_snapshot_available is 0.
import type { CheckerSnapshot, IpvsCounters } from './checker-snapshot.js';
import type { DefineCounter, DefineGauge } from './metrics.js';

const CHECK = 'keepalived_ts_check_';
const IPVS = 'keepalived_ts_ipvs_';

export function registerCheckerMetrics(gauge: DefineGauge, counter: DefineCounter, current: () => CheckerSnapshot | undefined): void {
  const realServers = function* () {
    for (const vs of current()?.virtualServers ?? []) for (const rs of vs.realServers) yield { labels: { virtual_server: vs.name, real_server: rs.id }, rs };
  };
  const services = function* () {
    for (const vs of current()?.virtualServers ?? []) for (const s of vs.services) yield { labels: { virtual_server: vs.name, service: s.service }, c: s.counters };
  };
  const destinations = function* () {
    for (const { labels, rs } of realServers()) if (rs.ipvs !== null) yield { labels, d: rs.ipvs };
  };
  const byDirection = (inc: (labels: Record<string, string>, value: number) => void, labels: Record<string, string>, c: IpvsCounters, kind: 'Packets' | 'Bytes'): void => {
    inc({ ...labels, direction: 'in' }, c[`in${kind}`]);
    inc({ ...labels, direction: 'out' }, c[`out${kind}`]);
  };

  gauge(`${CHECK}snapshot_available`, '1 when the checker process answered for this scrape', [], (g) => g.set(current() === undefined ? 0 : 1));
  gauge(`${CHECK}in_flight`, 'Checks running now', [], (g) => g.set(current()?.checksInFlight ?? 0));
  gauge(`${CHECK}quorum_up`, 'Virtual server quorum: 1 met, 0 lost', ['virtual_server'], (g) => {
    for (const vs of current()?.virtualServers ?? []) g.set({ virtual_server: vs.name }, vs.quorumUp ? 1 : 0);
  });
  gauge(`${CHECK}real_server_up`, 'Real server health: 1 up, 0 down', ['virtual_server', 'real_server'], (g) => {
    for (const { labels, rs } of realServers()) g.set(labels, rs.up ? 1 : 0);
  });
  gauge(`${CHECK}real_server_weight`, 'Weight the real server has in IPVS (0 when inhibited)', ['virtual_server', 'real_server'], (g) => {
    for (const { labels, rs } of realServers()) g.set(labels, rs.weight);
  });
  gauge(`${CHECK}last_latency_seconds`, 'How long the last check took', ['virtual_server', 'real_server'], (g) => {
    for (const { labels, rs } of realServers()) if (rs.lastCheck !== null) g.set(labels, rs.lastCheck.latencyMs / 1000);
  });
  gauge(`${CHECK}last_timestamp_seconds`, 'When the last check finished (Unix time)', ['virtual_server', 'real_server'], (g) => {
    for (const { labels, rs } of realServers()) if (rs.lastCheck !== null) g.set(labels, Date.parse(rs.lastCheck.at) / 1000);
  });
  counter(`${CHECK}checks_total`, 'Checks run since the real server was configured', ['virtual_server', 'real_server'], (inc) => {
    for (const { labels, rs } of realServers()) inc(labels, rs.checks);
  });
  counter(`${CHECK}failures_total`, 'Checks that failed', ['virtual_server', 'real_server'], (inc) => {
    for (const { labels, rs } of realServers()) inc(labels, rs.failures);
  });
  counter(`${CHECK}health_changes_total`, 'Up/down changes of the real server', ['virtual_server', 'real_server'], (inc) => {
    for (const { labels, rs } of realServers()) inc(labels, rs.changes);
  });

  counter(`${IPVS}service_connections_total`, 'Connections scheduled by the IPVS service', ['virtual_server', 'service'], (inc) => {
    for (const { labels, c } of services()) inc(labels, c.connections);
  });
  counter(`${IPVS}service_packets_total`, 'Packets through the IPVS service', ['virtual_server', 'service', 'direction'], (inc) => {
    for (const { labels, c } of services()) byDirection(inc, labels, c, 'Packets');
  });
  counter(`${IPVS}service_bytes_total`, 'Bytes through the IPVS service', ['virtual_server', 'service', 'direction'], (inc) => {
    for (const { labels, c } of services()) byDirection(inc, labels, c, 'Bytes');
  });
  gauge(`${IPVS}service_connection_rate`, 'Connections per second (the kernel\'s estimator)', ['virtual_server', 'service'], (g) => {
    for (const { labels, c } of services()) g.set(labels, c.connectionsPerSecond);
  });
  gauge(`${IPVS}service_byte_rate`, 'Bytes per second (the kernel\'s estimator)', ['virtual_server', 'service', 'direction'], (g) => {
    for (const { labels, c } of services()) {
      g.set({ ...labels, direction: 'in' }, c.inBytesPerSecond);
      g.set({ ...labels, direction: 'out' }, c.outBytesPerSecond);
    }
  });
  counter(`${IPVS}destination_connections_total`, 'Connections scheduled to the real server', ['virtual_server', 'real_server'], (inc) => {
    for (const { labels, d } of destinations()) inc(labels, d.connections);
  });
  gauge(`${IPVS}destination_active_connections`, 'Active connections of the real server', ['virtual_server', 'real_server'], (g) => {
    for (const { labels, d } of destinations()) g.set(labels, d.activeConnections);
  });
  gauge(`${IPVS}destination_inactive_connections`, 'Inactive connections of the real server', ['virtual_server', 'real_server'], (g) => {
    for (const { labels, d } of destinations()) g.set(labels, d.inactiveConnections);
  });
  counter(`${IPVS}destination_packets_total`, 'Packets to and from the real server', ['virtual_server', 'real_server', 'direction'], (inc) => {
    for (const { labels, d } of destinations()) byDirection(inc, labels, d, 'Packets');
  });
  counter(`${IPVS}destination_bytes_total`, 'Bytes to and from the real server', ['virtual_server', 'real_server', 'direction'], (inc) => {
    for (const { labels, d } of destinations()) byDirection(inc, labels, d, 'Bytes');
  });
  gauge(`${IPVS}destination_connection_rate`, 'Connections per second to the real server (the kernel\'s estimator)', ['virtual_server', 'real_server'], (g) => {
    for (const { labels, d } of destinations()) g.set(labels, d.connectionsPerSecond);
  });
}
