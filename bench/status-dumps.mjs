// Cost of the status surface. (1) In-process: the synchronous work a /status request, a /metrics
// scrape and a JSON dump put on the VRRP event loop, for 1, 50 and 200 instances (synthetic
// stats). (2) Live, side by side with Debian's keepalived 2.2.7 in the same run: signal to
// complete JSON dump file, with the same 20-instance config, each daemon alone in a namespace
// (keepalived with a private /tmp). Needs root; run `npm run build:ts` first. Bounded: ~30 s.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { createVrrpMetrics } from '../dist/daemon/metrics.js';
import { buildStatus } from '../dist/daemon/status-model.js';
import { keepalivedJsonDump } from '../dist/daemon/dump-json.js';

const BIN = fileURLToPath(new URL('../bin/keepalived-ts', import.meta.url));
const NS = 'ktsdo-bench';

function syntheticStats(count) {
  const instances = {};
  for (let i = 0; i < count; i++) {
    instances[`VI_${i}`] = {
      state: i % 2 ? 'MASTER' : 'BACKUP', vrid: (i % 255) + 1, interfaceName: 'eth0', basePriority: 100, effectivePriority: 70, masterAddress: '10.0.0.2',
      faults: [], advertsSent: 1000, advertsReceived: 1000, sendFailures: 0, gratuitousSent: 5, kernelFailures: 0, transitions: 3,
      lastTransition: { from: 'BACKUP', to: 'MASTER', reason: 'masterDownTimerExpired', detail: '', at: 1 },
      becameMaster: 1, releasedMaster: 0, priorityZeroReceived: 0, priorityZeroSent: 0,
      drops: { 'bad-ttl': 1 }, timerLateness: { count: 100, late: 0, maxMs: 1, p99UpperBoundMs: 2 },
    };
  }
  return { instances, sockets: {}, loopLag: { p50Ms: 0.1, p99Ms: 1, maxMs: 2 } };
}

async function timeIt(fn, rounds = 200) {
  for (let i = 0; i < 20; i++) await fn();
  const start = performance.now();
  for (let i = 0; i < rounds; i++) await fn();
  return (performance.now() - start) / rounds;
}

/** Longest time the event loop could not run a timer while `fn` ran 50 times back to back. */
async function longestStall(fn) {
  let last = performance.now();
  let worst = 0;
  const ticker = setInterval(() => {
    const now = performance.now();
    worst = Math.max(worst, now - last);
    last = now;
  }, 1);
  for (let i = 0; i < 50; i++) await fn();
  clearInterval(ticker);
  return worst;
}

console.log('in-process cost per request (ms, mean of 200) and the longest event-loop stall during 50 scrapes');
console.log('instances   /status   /metrics   JSON dump   /metrics stall');
for (const count of [1, 50, 200]) {
  const stats = syntheticStats(count);
  const trackers = [{ status: { name: 'chk', weight: -30, reverse: false, up: false }, sinceMs: Date.now() }];
  const clock = { wallMs: Date.now(), monotonicMs: 10 };
  const metrics = createVrrpMetrics({ stats: () => stats, trackersOf: () => trackers });
  const status = await timeIt(() => JSON.stringify(buildStatus(stats, () => trackers, clock, 1)));
  const scrape = await timeIt(() => metrics.render());
  const dump = await timeIt(() => JSON.stringify(keepalivedJsonDump(stats, new Map(), clock)));
  const stall = await longestStall(() => metrics.render());
  console.log(`${String(count).padStart(9)} ${status.toFixed(3).padStart(9)} ${scrape.toFixed(3).padStart(10)} ${dump.toFixed(3).padStart(11)} ${stall.toFixed(3).padStart(16)}`);
}

// ---- live: signal → complete dump file, ours vs keepalived ----
const INSTANCES = 20;
const config = Array.from({ length: INSTANCES }, (_, i) => [
  `vrrp_instance VI_${i} {`, '  state BACKUP', '  interface eth0', `  virtual_router_id ${i + 1}`, '  priority 100', '  advert_int 1',
  '  virtual_ipaddress {', `    10.96.${i}.100/24`, '  }', '}'].join('\n')).join('\n') + '\n';
const scratch = mkdtempSync(join(tmpdir(), 'ktsdo-bench-'));
const sh = (...args) => spawnSync(args[0], args.slice(1), { stdio: 'ignore' });
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function measure(label, start, pidFile, dumpFile, signal) {
  const child = start();
  try {
    for (let i = 0; i < 200 && !existsSync(pidFile); i++) await sleep(50);
    await sleep(1500);
    const pid = Number(readFileSync(pidFile, 'utf8').trim());
    const samples = [];
    for (let round = 0; round < 20; round++) {
      rmSync(dumpFile, { force: true });
      const t0 = performance.now();
      process.kill(pid, signal);
      while (!(existsSync(dumpFile) && readFileSync(dumpFile, 'utf8').trim().endsWith(']'))) await sleep(1);
      samples.push(performance.now() - t0);
    }
    samples.sort((a, b) => a - b);
    console.log(`${label.padEnd(22)} median ${samples[10].toFixed(1)} ms, max ${samples[19].toFixed(1)} ms`);
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
  }
}

sh('ip', 'netns', 'del', NS);
try {
  sh('ip', 'netns', 'add', NS);
  sh('ip', '-n', NS, 'link', 'add', 'eth0', 'type', 'veth', 'peer', 'name', 'eth1');
  sh('ip', '-n', NS, 'addr', 'add', '10.96.255.1/16', 'dev', 'eth0');
  for (const link of ['eth0', 'eth1', 'lo']) sh('ip', '-n', NS, 'link', 'set', link, 'up');
  console.log(`\nsignal to complete JSON dump file, ${INSTANCES} instances (20 rounds)`);
  writeFileSync(join(scratch, 'ours.conf'), `global_defs {\n  json_dump_file ${join(scratch, 'ours.json')}\n}\n${config}`);
  await measure('keepalived-ts', () => spawn('ip', ['netns', 'exec', NS, process.execPath, BIN, '-n', '-P', '-f', join(scratch, 'ours.conf'),
    '-p', join(scratch, 'ours.pid'), '-r', join(scratch, 'ours-vrrp.pid')], { stdio: 'ignore' }),
  join(scratch, 'ours.pid'), join(scratch, 'ours.json'), Number(spawnSync(process.execPath, [BIN, '--signum=JSON'], { encoding: 'utf8' }).stdout));
  const kaTmp = mkdtempSync(join(scratch, 'ka-'));
  writeFileSync(join(kaTmp, 'keepalived.conf'), config);
  await measure('keepalived 2.2.7', () => spawn('ip', ['netns', 'exec', NS, 'unshare', '-m', '--propagation', 'private', 'sh', '-c',
    `mount --bind ${kaTmp} /tmp && exec keepalived -n -P -G -f /tmp/keepalived.conf -p /tmp/ka.pid -r /tmp/ka-vrrp.pid -c /tmp/ka-check.pid`], { stdio: 'ignore' }),
  join(kaTmp, 'ka.pid'), join(kaTmp, 'keepalived.json'), Number(spawnSync('keepalived', ['--signum=JSON'], { encoding: 'utf8' }).stdout));
} finally {
  sh('ip', 'netns', 'del', NS);
  rmSync(scratch, { recursive: true, force: true });
}
