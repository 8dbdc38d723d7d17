// Benchmark: the failover scenarios of ../shared/notes/vrrp-behaviour.md for our daemon and for
// Debian's keepalived 2.2.7 in the same run (each against itself: two directors on a bridge in
// network namespaces), medians side by side; then idle CPU and RSS of 50 master instances, and
// idle CPU of 50 backup instances hearing keepalived's 50 masters.
//   npm run build:ts && node bench/vrrp-failover.mjs [--reps N] [--slow-reps N] [--idle-only] [--cold-only]
//     [--bin PATH]   (another build's bin/keepalived-ts, e.g. main's, for before/after figures)
//     [--settle S]   (idle: seconds between the VIPs being up and the CPU window, default 6)
//     [--before PATH] (a second build's bin run as a third implementation, 'before', in the same run)
//     [--only CONFIG] (one scenario, e.g. 'v3 adv 0.01')   [--faults 'SIGTERM,kill -9'] (skip the others)
//     [--no-idle]   [--idle-windows N] [--idle-window S] (idle CPU: median of N windows of S s, default 3 x 10)
//     [--no-idle-backups] (skip the idle backups' figure)
//     [--tag NAME]   (prefix of the namespaces and temp dirs, default kvp-bn)   [--verbose] (every sample)
// "VIP on backup" is the time from the fault (kill -9 of the master's whole process tree, its
// link set down, or SIGTERM) to the backup's kernel announcing the VIP (`ip monitor address`).
// "Cold start" is from starting both daemons to the first VIP on either: it includes process
// start-up (Node's is hundreds of ms). On the wire, as the backup's kernel timestamps adverts
// (tcpdump in its namespace): "TERM on wire" is the time from kill(parent, SIGTERM) to the first
// priority-0 advert; "... → take-over" the time from the master's last advert (priority 0 on
// SIGTERM) to the backup's first: Master_Down_Interval or Skew_Time plus the take-over's own work.
// Root needed. Namespaces are named kvp-bn-* (--tag).
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { VERSION } from '../dist/common/version.js';

const argText = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i < 0 ? fallback : process.argv[i + 1];
};
const argValue = (name, fallback) => Number(argText(name, fallback));
const BIN = argText('--bin', join(dirname(fileURLToPath(import.meta.url)), '..', 'bin', 'keepalived-ts'));
const BEFORE_BIN = argText('--before', undefined);
const REPS = argValue('--reps', 5);
/** The 1 s cases take ~4 s per failover and as much per election: fewer repetitions by default. */
const SLOW_REPS = argValue('--slow-reps', 3);
/** Prefix of the bench's namespaces and temp dirs (--tag: two engineers' runs must not share names). */
const TAG = argText('--tag', 'kvp-bn');
const SUBNET = 66;
const VIP = `10.${SUBNET}.0.100`;
const scratch = mkdtempSync(join(tmpdir(), `${TAG}-`));

function sh(command, args) {
  const result = spawnSync(command, args, { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')}: ${result.stderr}`);
  return result.stdout;
}
const delay = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? NaN : sorted[Math.floor((sorted.length - 1) / 2)];
};

// ---- lab: directors d0, d1 (and a lone host per implementation for the idle figures) ----------

const hosts = { d0: `${TAG}-d0`, d1: `${TAG}-d1`, i0: `${TAG}-i0`, i1: `${TAG}-i1`, i2: `${TAG}-i2` };
/** One lone host per implementation for the idle figures. */
const idleHosts = [hosts.i0, hosts.i1, hosts.i2];
/** The other end of each idle host's link: keepalived's masters run there for the idle backups' figure. */
const idlePeers = idleHosts.map((ns) => `${ns}p`);
const bridge = `${TAG}-br`;
function destroyLab() {
  for (const ns of [...Object.values(hosts), ...idlePeers, bridge]) spawnSync('ip', ['netns', 'del', ns], { stdio: 'ignore' });
}
function createLab() {
  destroyLab();
  for (const ns of [bridge, ...Object.values(hosts), ...idlePeers]) {
    sh('ip', ['netns', 'add', ns]);
    sh('ip', ['-n', ns, 'link', 'set', 'lo', 'up']);
  }
  sh('ip', ['-n', bridge, 'link', 'add', 'br0', 'type', 'bridge', 'forward_delay', '0']);
  sh('ip', ['-n', bridge, 'link', 'set', 'br0', 'up']);
  Object.values(hosts).forEach((ns, i) => {
    if (ns === hosts.d0 || ns === hosts.d1) {
      const port = `${TAG.replace(/[^a-z0-9]/g, '').slice(0, 8)}p${i}`;
      sh('ip', ['-n', bridge, 'link', 'add', port, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', ns]);
      sh('ip', ['-n', bridge, 'link', 'set', port, 'master', 'br0', 'up']);
    } else {
      // The idle hosts each sit on a veth pair of their own: their 50 instances must not meet each
      // other's. The far end is a host that runs keepalived's masters only for the backups' figure.
      const peer = idlePeers[idleHosts.indexOf(ns)];
      sh('ip', ['-n', ns, 'link', 'add', 'eth0', 'type', 'veth', 'peer', 'name', 'eth0', 'netns', peer]);
      sh('ip', ['-n', peer, 'addr', 'add', `10.${SUBNET}.0.${50 + i}/24`, 'dev', 'eth0']);
      sh('ip', ['-n', peer, 'link', 'set', 'eth0', 'up']);
    }
    sh('ip', ['-n', ns, 'addr', 'add', `10.${SUBNET}.0.${10 + i}/24`, 'dev', 'eth0']);
    sh('ip', ['-n', ns, 'link', 'set', 'eth0', 'up']);
  });
}

function config(version, advertInt, priority, instances = 1) {
  const blocks = [];
  for (let i = 0; i < instances; i++) {
    const vip = instances === 1 ? `${VIP}/24` : `10.${SUBNET}.1.${i + 1}/32`;
    blocks.push(`vrrp_instance VI_${i + 1} {\n  state BACKUP\n  interface eth0\n  virtual_router_id ${i + 1}\n  priority ${priority}\n` +
      `  advert_int ${advertInt}\n  version ${version}\n  virtual_ipaddress {\n    ${vip}\n  }\n}\n`);
  }
  return `global_defs {\n}\n${blocks.join('')}`;
}

/** Daemons still running, stopped by an interrupt so that none outlives the bench. */
const live = new Set();
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    for (const child of live) for (const pid of processTree(child.pid)) try { process.kill(pid, 'SIGKILL'); } catch {}
    destroyLab();
    process.exit(130);
  });
}

/** Starts one daemon of `impl` in `ns`; returns its process (ip netns exec execs it: the pid is the daemon's). */
function startDaemon(impl, ns, text) {
  const dir = mkdtempSync(join(scratch, `${impl}-`));
  const file = join(dir, 'k.conf');
  writeFileSync(file, text);
  const pidArgs = ['-p', join(dir, 'p.pid'), '-r', join(dir, 'v.pid')];
  const command = impl === 'ours' || impl === 'before'
    ? [impl === 'ours' ? BIN : BEFORE_BIN, '-n', '-P', '-f', file, ...pidArgs] // as operators run it
    : ['keepalived', '-n', '-P', '-G', '-f', file, ...pidArgs, '-c', join(dir, 'c.pid')];
  const child = spawn('ip', ['netns', 'exec', ns, ...command], { stdio: 'ignore' });
  child.exited = new Promise((resolve) => child.once('exit', resolve));
  live.add(child);
  void child.exited.then(() => live.delete(child));
  return child;
}

function processTree(rootPid) {
  const out = sh('ps', ['-e', '-o', 'pid=,ppid=']);
  const children = new Map();
  for (const line of out.trim().split('\n')) {
    const [pid, ppid] = line.trim().split(/\s+/).map(Number);
    children.set(ppid, [...(children.get(ppid) ?? []), pid]);
  }
  const tree = [];
  const walk = (pid) => { tree.push(pid); for (const c of children.get(pid) ?? []) walk(c); };
  walk(rootPid);
  return tree;
}

/**
 * A real crash of the whole tree: every process is stopped first, so that no child can react to
 * its parent's death (keepalived's VRRP child would otherwise get SIGTERM and send priority 0).
 */
function crash(pids) {
  for (const pid of pids) process.kill(pid, 'SIGSTOP');
  for (const pid of pids) process.kill(pid, 'SIGKILL');
}

async function stopDaemon(child) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timeout = delay(8000).then(() => 'timeout');
  if ((await Promise.race([child.exited, timeout])) === 'timeout') for (const pid of processTree(child.pid)) try { process.kill(pid, 'SIGKILL'); } catch {}
  await child.exited;
}

/** Streams `ip monitor address` in a namespace; resolves `added(vip)` with the arrival time of the VIP's first RTM_NEWADDR. */
function watchAddresses(ns) {
  const monitor = spawn('ip', ['-n', ns, 'monitor', 'address'], { stdio: ['ignore', 'pipe', 'ignore'] });
  const waiters = [];
  let buffer = '';
  monitor.stdout.on('data', (chunk) => {
    const at = performance.now();
    buffer += chunk.toString();
    const lines = buffer.split('\n');
    buffer = lines.pop();
    for (const line of lines) {
      for (const w of [...waiters]) {
        if (!line.startsWith('Deleted') && line.includes(` ${w.address}/`)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(at);
        }
      }
    }
  });
  return {
    added: (address, timeoutMs) => new Promise((resolve, reject) => {
      const w = { address, resolve: (at) => { clearTimeout(timer); resolve(at); } };
      const timer = setTimeout(() => { waiters.splice(waiters.indexOf(w), 1); reject(new Error(`no ${address} in ${ns} within ${timeoutMs} ms`)); }, timeoutMs);
      waiters.push(w);
    }),
    stop: () => monitor.kill(),
  };
}

/** Realtime milliseconds with sub-ms precision, comparable with tcpdump's timestamps. */
const realtimeMs = () => performance.timeOrigin + performance.now();

/** tcpdump in a namespace: every VRRP advert it sees, with its kernel timestamp (realtime ms). `ready` once it listens. */
function watchAdverts(ns) {
  const dump = spawn('ip', ['netns', 'exec', ns, 'tcpdump', '-l', '-n', '-tt', '--time-stamp-precision=nano', '-i', 'eth0', 'ip proto 112'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const adverts = [];
  let buffer = '';
  dump.stdout.on('data', (chunk) => {
    buffer += chunk.toString();
    const lines = buffer.split('\n');
    buffer = lines.pop();
    for (const line of lines) {
      const match = /^(\d+\.\d+) IP (\S+) > .*, prio (\d+),/.exec(line);
      if (match) adverts.push({ atMs: Number(match[1]) * 1000, source: match[2], priority: Number(match[3]) });
    }
  });
  const ready = new Promise((resolve) => dump.stderr.on('data', (chunk) => { if (chunk.toString().includes('listening on')) resolve(); }));
  return { ready, adverts, stop: () => dump.kill() };
}

/**
 * What the wire says about a failover: the master's priority-0 advert after the fault (SIGTERM), and
 * the backup's first advert after the master's last one (the take-over itself, whatever the phase of
 * the advert cycle the fault hit).
 */
function wireFigures(adverts, t0RealtimeMs) {
  const [master, backup] = [`10.${SUBNET}.0.10`, `10.${SUBNET}.0.11`];
  const takeOver = adverts.find((a) => a.source === backup && a.atMs > t0RealtimeMs);
  const lastFromMaster = takeOver && adverts.filter((a) => a.source === master && a.atMs < takeOver.atMs).at(-1);
  const leaving = adverts.find((a) => a.source === master && a.priority === 0 && a.atMs > t0RealtimeMs);
  return {
    termSeconds: leaving === undefined ? undefined : (leaving.atMs - t0RealtimeMs) / 1000,
    takeOverSeconds: takeOver === undefined || lastFromMaster === undefined ? undefined : (takeOver.atMs - lastFromMaster.atMs) / 1000,
  };
}

function hasVip(ns) {
  return sh('ip', ['-n', ns, '-o', 'addr', 'show']).includes(` ${VIP}/`);
}

async function waitUntil(check, timeoutMs) {
  const start = performance.now();
  while (!check()) {
    if (performance.now() - start > timeoutMs) throw new Error('timed out');
    await delay(20);
  }
}

// ---- scenarios ------------------------------------------------------------------------------

async function failover(impl, version, advertInt, fault) {
  const master = startDaemon(impl, hosts.d0, config(version, advertInt, 150));
  const backup = startDaemon(impl, hosts.d1, config(version, advertInt, 100));
  const watch = watchAddresses(hosts.d1);
  const wire = watchAdverts(hosts.d1);
  try {
    const patience = advertInt * 1000 * 4 + 10_000;
    await waitUntil(() => hasVip(hosts.d0) && !hasVip(hosts.d1), patience);
    await delay(Math.max(500, advertInt * 3000));
    const added = watch.added(VIP, patience);
    await wire.ready;
    // The tree is listed before the clock starts: `ps` takes milliseconds, adverts keep flowing meanwhile.
    const tree = fault === 'kill -9' ? processTree(master.pid) : [];
    const t0 = performance.now();
    const t0Realtime = realtimeMs();
    if (fault === 'kill -9') crash(tree);
    else if (fault === 'link down') sh('ip', ['-n', hosts.d0, 'link', 'set', 'eth0', 'down']);
    else master.kill('SIGTERM');
    const vipSeconds = ((await added) - t0) / 1000;
    await delay(100); // tcpdump's last lines
    return { vipSeconds, ...wireFigures(wire.adverts, t0Realtime) };
  } finally {
    watch.stop();
    wire.stop();
    await Promise.all([stopDaemon(master), stopDaemon(backup)]);
    spawnSync('ip', ['-n', hosts.d0, 'link', 'set', 'eth0', 'up']);
    for (const ns of [hosts.d0, hosts.d1]) spawnSync('ip', ['-n', ns, 'addr', 'del', `${VIP}/24`, 'dev', 'eth0'], { stdio: 'ignore' });
  }
}

async function coldStart(impl, version, advertInt) {
  const watches = [watchAddresses(hosts.d0), watchAddresses(hosts.d1)];
  await delay(100);
  const patience = advertInt * 1000 * 4 + 10_000;
  const first = Promise.any(watches.map((w) => w.added(VIP, patience)));
  const t0 = performance.now();
  const daemons = [startDaemon(impl, hosts.d0, config(version, advertInt, 150)), startDaemon(impl, hosts.d1, config(version, advertInt, 100))];
  try {
    return ((await first) - t0) / 1000;
  } finally {
    for (const w of watches) w.stop();
    await Promise.all(daemons.map(stopDaemon));
    for (const ns of [hosts.d0, hosts.d1]) spawnSync('ip', ['-n', ns, 'addr', 'del', `${VIP}/24`, 'dev', 'eth0'], { stdio: 'ignore' });
  }
}

/** CPU seconds of every thread of these processes (schedstat: nanoseconds, finer than stat's 10 ms ticks). */
function cpuSeconds(pids) {
  let ns = 0;
  for (const pid of pids) {
    try {
      for (const task of readdirSync(`/proc/${pid}/task`)) ns += Number(readFileSync(`/proc/${pid}/task/${task}/schedstat`, 'utf8').split(' ')[0]);
    } catch {}
  }
  return ns / 1e9;
}
function rssKb(pids) {
  let kb = 0;
  for (const pid of pids) {
    try { kb += Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]); } catch {}
  }
  return kb;
}

/** A process's role for the idle table: keepalived's and ours differ in names, not in shape. */
function processName(pid) {
  try {
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    const entry = cmdline.find((arg) => /vrrp-process|check-process|keepalived-ts/.test(arg));
    return entry === undefined ? readFileSync(`/proc/${pid}/comm`, 'utf8').trim() : entry.split('/').pop().replace(/\.(bundle\.)?js$/, '');
  } catch {
    return String(pid);
  }
}

/**
 * CPU of two idle daemons over `windows` consecutive windows: the median window is the figure, so
 * that one garbage collection or JIT burst in one window does not decide it.
 */
async function idle(instances, windows, windowMs, role = 'master') {
  // Backups: keepalived's masters (priority 200) on the far end of each host's link, started first.
  const masters = role === 'backup' ? idlePeers.slice(0, IMPLS.length).map((peer) => startDaemon('keepalived', peer, config(2, 1, 200, instances))) : [];
  const daemons = {};
  try {
    if (role === 'backup') {
      await waitUntil(() => idlePeers.slice(0, IMPLS.length).every((peer) => sh('ip', ['-n', peer, '-o', 'addr', 'show']).includes(`10.${SUBNET}.1.${instances}/32`)), 30_000);
    }
    const text = config(2, 1, role === 'backup' ? 100 : 150, instances);
    IMPLS.forEach((impl, i) => { daemons[impl] = startDaemon(impl, idleHosts[i], text); });
    if (role === 'master') {
      await waitUntil(() => IMPLS.every((_, i) => sh('ip', ['-n', idleHosts[i], '-o', 'addr', 'show']).includes(`10.${SUBNET}.1.${instances}/32`)), 30_000);
    } else {
      // As long as a master would need to be sure of its start-up, then the backups must still be backups.
      await delay(5000);
      if (IMPLS.some((_, i) => sh('ip', ['-n', idleHosts[i], '-o', 'addr', 'show']).includes(`10.${SUBNET}.1.`))) throw new Error('an idle backup took a VIP: it does not hear the masters');
    }
    await delay(SETTLE_MS); // past the second GARP burst (garp_master_delay 5 s)
    const trees = Object.fromEntries(Object.entries(daemons).map(([k, d]) => [k, processTree(d.pid)]));
    const perWindow = Object.fromEntries(Object.keys(trees).map((k) => [k, []]));
    for (let w = 0; w < windows; w++) {
      const before = Object.fromEntries(Object.entries(trees).map(([k, pids]) => [k, pids.map((pid) => cpuSeconds([pid]))]));
      const t0 = performance.now();
      await delay(windowMs);
      const elapsed = (performance.now() - t0) / 1000;
      for (const [k, pids] of Object.entries(trees)) perWindow[k].push(pids.map((pid, i) => ((cpuSeconds([pid]) - before[k][i]) / elapsed) * 100));
    }
    const result = {};
    for (const [k, pids] of Object.entries(trees)) {
      const windowsTotal = perWindow[k].map((perPid) => perPid.reduce((a, b) => a + b, 0));
      result[k] = {
        cpuPercent: median(windowsTotal),
        windows: windowsTotal,
        perProcess: pids.map((pid, i) => ({ name: processName(pid), cpuPercent: median(perWindow[k].map((perPid) => perPid[i])) })),
        rssMb: rssKb(pids) / 1024,
      };
    }
    return result;
  } finally {
    await Promise.all([...Object.values(daemons), ...masters].map(stopDaemon));
  }
}

function printIdle(title, figures) {
  process.stdout.write(`\n${title}: median of ${IDLE_WINDOWS} windows of ${IDLE_WINDOW_MS / 1000} s from ${SETTLE_MS / 1000} s after start-up settled; host: ${sh('uptime', []).trim()}\n`);
  process.stdout.write(`| | CPU (median) | per window | per process (median) | RSS (all processes) |\n|---|---|---|---|---|\n`);
  for (const [k, v] of Object.entries(figures)) {
    process.stdout.write(`| ${k} | ${v.cpuPercent.toFixed(3)} % | ${v.windows.map((w) => w.toFixed(3)).join(' / ')} | ${v.perProcess.map((p) => `${p.name} ${p.cpuPercent.toFixed(3)} %`).join(', ')} | ${v.rssMb.toFixed(1)} MB (${v.perProcess.length} processes) |\n`);
  }
  process.stdout.write(`ours / keepalived: ${(figures.ours.cpuPercent / figures.keepalived.cpuPercent).toFixed(2)}x\n`);
}

// ---- run ------------------------------------------------------------------------------------

const IDLE_ONLY = process.argv.includes('--idle-only');
const COLD_ONLY = process.argv.includes('--cold-only');
/**
 * How long the idle daemons run before the CPU window: 6 s by default (past the second GARP burst);
 * longer (e.g. 40) leaves out Node's start-up residue (background JIT compiles, the heap shrinking
 * GCs of the first seconds) and shows the steady state.
 */
const SETTLE_MS = argValue('--settle', 6) * 1000;
/** Idle CPU windows: the median of several (--idle-windows N, --idle-window S). */
const IDLE_WINDOWS = argValue('--idle-windows', 3);
const IDLE_WINDOW_MS = argValue('--idle-window', 10) * 1000;
const ONLY = argText('--only', undefined);
const SCENARIOS = IDLE_ONLY ? [] : [
  { label: 'v2 adv 1', version: 2, advertInt: 1, reps: SLOW_REPS },
  { label: 'v3 adv 0.1', version: 3, advertInt: 0.1, reps: REPS },
  { label: 'v3 adv 0.01', version: 3, advertInt: 0.01, reps: REPS },
].filter((s) => ONLY === undefined || s.label === ONLY);
const FAULTS = argText('--faults', 'kill -9,link down,SIGTERM,cold start').split(',');
/** --verbose: every sample, not only the medians. */
const VERBOSE = process.argv.includes('--verbose');
const IMPLS = ['ours', 'keepalived', ...(BEFORE_BIN === undefined ? [] : ['before'])];
const seconds = (value) => `${value.toFixed(4)} s`;
const millis = (value) => `${(value * 1000).toFixed(2)} ms`;

createLab();
const rows = [];
const addRow = (config, fault, samples, format) => {
  const figures = Object.fromEntries(IMPLS.map((impl) => [impl, { median: median(samples[impl]), n: samples[impl].length }]));
  rows.push({ config, fault, format, ...figures });
  process.stdout.write(`${config.padEnd(12)} ${fault.padEnd(24)} ${IMPLS.map((impl) => `${impl} ${format(figures[impl].median)} (n=${figures[impl].n})`).join('   ')}\n`);
  if (VERBOSE) for (const impl of IMPLS) process.stdout.write(`    ${impl}: ${samples[impl].map(format).join(', ')}\n`);
};
try {
  for (const s of SCENARIOS) {
    for (const fault of COLD_ONLY ? ['cold start'] : FAULTS) {
      const samples = Object.fromEntries(IMPLS.map((impl) => [impl, []]));
      const term = Object.fromEntries(IMPLS.map((impl) => [impl, []]));
      const takeOver = Object.fromEntries(IMPLS.map((impl) => [impl, []]));
      // Alternating the implementations run by run: a change of host load hits both alike.
      for (let i = 0; i < s.reps; i++) {
        for (const impl of IMPLS) {
          try {
            if (fault === 'cold start') {
              samples[impl].push(await coldStart(impl, s.version, s.advertInt));
              continue;
            }
            const { vipSeconds, termSeconds, takeOverSeconds } = await failover(impl, s.version, s.advertInt, fault);
            samples[impl].push(vipSeconds);
            if (termSeconds !== undefined) term[impl].push(termSeconds);
            if (takeOverSeconds !== undefined) takeOver[impl].push(takeOverSeconds);
          } catch (error) {
            process.stderr.write(`${impl} ${s.label} ${fault}: ${error.message}\n`);
          }
        }
      }
      addRow(s.label, fault, samples, seconds);
      if (fault === 'SIGTERM') addRow(s.label, 'TERM on wire', term, millis);
      if (fault !== 'cold start') addRow(s.label, `${fault === 'SIGTERM' ? 'prio 0' : 'last advert'} → take-over`, takeOver, millis);
    }
  }
  const idleFigures = COLD_ONLY || process.argv.includes('--no-idle') ? undefined : await idle(50, IDLE_WINDOWS, IDLE_WINDOW_MS);
  const idleBackupFigures = COLD_ONLY || process.argv.includes('--no-idle') || process.argv.includes('--no-idle-backups')
    ? undefined
    : await idle(50, IDLE_WINDOWS, IDLE_WINDOW_MS, 'backup');
  process.stdout.write(`\nkeepalived-ts ${VERSION} (${BIN}) vs keepalived 2.2.7, VIP on the backup after the fault (median); host: ${sh('uptime', []).trim()}\n`);
  process.stdout.write(`| config | fault | ${IMPLS.join(' | ')} | ours / keepalived |\n|---|---|${IMPLS.map(() => '---|').join('')}---|\n`);
  for (const r of rows) {
    process.stdout.write(`| ${r.config} | ${r.fault} | ${IMPLS.map((impl) => `${r.format(r[impl].median)} (n=${r[impl].n})`).join(' | ')} | ${(r.ours.median / r.keepalived.median).toFixed(2)} |\n`);
  }
  if (idleFigures) printIdle('Idle, 50 master instances (v2 adv 1), VRRP only', idleFigures);
  if (idleBackupFigures) printIdle("Idle, 50 backup instances (v2 adv 1) hearing keepalived's 50 masters, VRRP only", idleBackupFigures);
} finally {
  destroyLab();
  rmSync(scratch, { recursive: true, force: true });
}
