// Our checker process for bench/check-scale.mjs: the real CheckScheduler and checkers from dist/
// over the bench's real servers for a fixed time, then one JSON line of figures on stdout.
import { readFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { CheckScheduler } from '../dist/check/scheduler.js';
import { benchServers } from './check-scale-servers.mjs';

const [seconds, warmSeconds, tcpCount, httpCount, tcpBase, httpBase, ports] = process.argv.slice(2).map(Number);
const timing = { delayLoopMs: 1000, retry: 1, delayBeforeRetryMs: 1000, warmupMs: 1000, alpha: false };
let results = 0;
let failures = 0;
const downs = new Set();
const scheduler = new CheckScheduler({
  onChange: (change) => (change.state === 'down' ? downs.add(change.target.id) : downs.delete(change.target.id)),
  onResult: (_target, _spec, result) => {
    results++;
    if (!result.ok) failures++;
  },
});
for (const server of benchServers(tcpCount, httpCount, tcpBase, httpBase, ports)) {
  const spec =
    server.kind === 'TCP_CHECK'
      ? { kind: 'TCP_CHECK', connectTimeoutMs: 5000 }
      : { kind: 'HTTP_GET', urls: [{ path: '/' }], connectTimeoutMs: 5000 };
  scheduler.add({ target: { id: `${server.address}:${server.port}`, address: server.address, port: server.port }, checks: [{ spec, timing }] });
}
/** Upper bound of quantile q over the samples between two cumulative snapshots of a histogram. */
function windowQuantile(before, after, q, maxMs) {
  const total = after.at(-1).count - before.at(-1).count;
  for (let i = 0; i < after.length; i++) {
    if (after[i].count - before[i].count >= Math.ceil(q * total)) return Number.isFinite(after[i].le) ? Math.min(after[i].le, maxMs) : maxMs;
  }
  return maxMs;
}

/** Main thread's time on a CPU and waiting for one (ns), from the scheduler's own accounting. */
function schedstat() {
  const [runNs, waitNs] = readFileSync('/proc/self/schedstat', 'utf8').split(' ').map(Number);
  return { runNs, waitNs, atMs: performance.now() };
}

// The steady state is measured after the warm-up (start-up burst, JIT), like the CPU window.
const lag = monitorEventLoopDelay({ resolution: 10 });
let driftAtWarm;
let warm;
setTimeout(() => {
  driftAtWarm = scheduler.startDrift.cumulative();
  warm = schedstat();
  lag.enable();
}, warmSeconds * 1000);
setTimeout(() => {
  const end = schedstat();
  scheduler.stop();
  lag.disable();
  const drift = scheduler.startDrift;
  const windowNs = (end.atMs - warm.atMs) * 1e6;
  process.stdout.write(
    JSON.stringify({
      checks: results,
      failures,
      down: downs.size,
      driftP50UpperMs: windowQuantile(driftAtWarm, drift.cumulative(), 0.5, drift.maxMs),
      driftP99UpperMs: windowQuantile(driftAtWarm, drift.cumulative(), 0.99, drift.maxMs),
      driftP99WholeRunUpperMs: Math.min(drift.quantileUpperBoundMs(0.99), drift.maxMs),
      driftMaxMs: drift.maxMs,
      mainThreadOnCpuPercent: ((end.runNs - warm.runNs) / windowNs) * 100,
      mainThreadWaitingForCpuPercent: ((end.waitNs - warm.waitNs) / windowNs) * 100,
      loopLagP99Ms: lag.percentile(99) / 1e6,
    }) + '\n',
  );
  process.exit(0);
}, seconds * 1000);
