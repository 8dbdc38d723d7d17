// Checker scale: 5,000 real servers with TCP_CHECK and 1,000 with HTTP_GET at delay_loop 1 against
// real listeners on loopback, inside a throwaway namespace. Measures our checker (CPU over a fixed
// window from /proc/PID/stat, CPU per check, RSS, check start drift after the same warm-up, and how
// long its main thread was on a CPU and waiting for one) and, where it can run, keepalived's checker
// process (`keepalived -C -n`) on the same servers over the same window.
//   npm run build:ts && node bench/check-scale.mjs [seconds=20] [tcp=5000] [http=1000] [--checker-priority=NICE]
// --checker-priority runs both checkers at that nice value (keepalived through checker_priority),
// and gives the same nice value to their autogroup: with autogroup scheduling a process's nice
// value only ranks it against the processes of its own session.
// keepalived's checker needs IPVS: on a host without it, run the bench in the IPVS guest
// (node scripts/vm/run.mjs -- node bench/check-scale.mjs 20 250 50); figures there are under TCG.
// The listeners stand for real servers, which in production run elsewhere; here they share the
// CPUs, so their CPU share is printed too.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchServers, keepalivedConfig } from './check-scale-servers.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const positional = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const NICE = Number(/^--checker-priority=(-?\d+)$/.exec(process.argv.find((a) => a.startsWith('--checker-priority=')) ?? '')?.[1] ?? 0);
const SECONDS = Number(positional[0] ?? 20);
const WARM_SECONDS = 3;
const TCP = Number(positional[1] ?? 5000);
const HTTP = Number(positional[2] ?? 1000);
const TCP_BASE = 20001;
const HTTP_BASE = 28001;
const PORTS = 10;
const NS = 'kcd-bench';
const CLOCK_TICKS = 100; // USER_HZ on Linux

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function cpuSeconds(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS; // utime + stime
}

function rssMiB(pid) {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) / 1024 : NaN;
}

let listeners;

/**
 * TCP connections opened in the bench namespace so far (the kernel's ActiveOpens): every check of
 * either checker opens one, and only the checker opens any. Counted when the SYN goes out, so
 * neither checker nor listener being late skews the count.
 */
function connectionsSeen() {
  const lines = execFileSync('ip', ['netns', 'exec', NS, 'cat', '/proc/net/snmp'], { encoding: 'utf8' }).split('\n').filter((l) => l.startsWith('Tcp:'));
  const names = lines[0].split(/\s+/);
  return Number(lines[1].split(/\s+/)[names.indexOf('ActiveOpens')]);
}

/** CPU share (of one core), RSS and checks made (per second) by pid over the measuring window, after the warm-up. */
async function measure(pid) {
  await sleep(WARM_SECONDS * 1000);
  const cpu0 = cpuSeconds(pid);
  const connections0 = connectionsSeen();
  const t0 = performance.now();
  await sleep((SECONDS - WARM_SECONDS - 1) * 1000);
  const cpu1 = cpuSeconds(pid);
  const connections1 = connectionsSeen();
  const elapsed = (performance.now() - t0) / 1000;
  return { cpuPercent: ((cpu1 - cpu0) / elapsed) * 100, rssMiB: rssMiB(pid), checksPerSecond: (connections1 - connections0) / elapsed };
}

/** `ip netns exec` and nice exec the command, so the pid stays the same; wait until it is node. */
async function nodeProcessUnder(pid) {
  for (let i = 0; i < 50; i++) {
    try {
      if (readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'node') return pid;
    } catch {
      break;
    }
    await sleep(20);
  }
  return pid;
}

/**
 * Every process the bench starts gets a session of its own, as a daemon has: with the kernel's
 * autogroup scheduling (sched_autogroup_enabled, on by default) CPU time is shared between
 * sessions first, so a checker in the bench's own session would share one slot with the listeners
 * and the bench, and nice values would only move CPU time around inside that slot.
 */
function inNamespace(command, args, options = {}) {
  return spawn('ip', ['netns', 'exec', NS, command, ...args], { ...options, detached: true });
}

/** Gives pid's session (autogroup) the bench's checker nice value; see inNamespace. */
function niceAutogroup(pid) {
  if (NICE === 0) return;
  try {
    writeFileSync(`/proc/${pid}/autogroup`, String(NICE));
  } catch {
    // no autogroup scheduling in this kernel: the process nice value is all there is
  }
}

/** The command at the bench's checker nice value. */
function niced(command, args) {
  return NICE === 0 ? [command, args] : ['nice', ['-n', String(NICE), command, ...args]];
}

async function ours() {
  const worker = inNamespace(...niced(process.execPath, [join(here, 'check-scale-worker.mjs'), SECONDS, WARM_SECONDS, TCP, HTTP, TCP_BASE, HTTP_BASE, PORTS].map(String)), {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  worker.stdout.on('data', (d) => (out += d));
  const exited = new Promise((resolve) => worker.on('exit', resolve));
  // The worker runs as the grandchild of `ip netns exec` (and nice): measure the node process itself.
  const pid = await nodeProcessUnder(worker.pid);
  niceAutogroup(pid);
  const usage = await measure(pid);
  await exited;
  return { ...usage, ...JSON.parse(out.trim().split('\n').at(-1)) };
}

async function keepalived(dir) {
  if (!existsSync('/usr/sbin/keepalived')) return { unavailable: 'keepalived is not installed' };
  const conf = join(dir, 'keepalived.conf');
  const config = keepalivedConfig(benchServers(TCP, HTTP, TCP_BASE, HTTP_BASE, PORTS));
  writeFileSync(conf, NICE === 0 ? config : config.replace('global_defs {', `global_defs {\n  checker_priority ${NICE}`));
  const checkerPidFile = join(dir, 'checkers.pid');
  const parent = inNamespace('keepalived', ['-C', '-n', '-l', '-f', conf, '-p', join(dir, 'keepalived.pid'), '-c', checkerPidFile], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  parent.stdout.on('data', (d) => (log += d));
  parent.stderr.on('data', (d) => (log += d));
  const exited = new Promise((resolve) => parent.on('exit', resolve));
  try {
    // The checker process reads the config, then initialises IPVS (and exits where there is none).
    await sleep(4000);
    const pid = existsSync(checkerPidFile) ? Number(readFileSync(checkerPidFile, 'utf8')) : NaN;
    // Measured: keepalived 2.2.7's checker initialises IPVS (modprobe ip_vs, then the IPVS generic
    // netlink family) before its first check and exits FATAL when that fails; no option skips it.
    const cannotRun = () => {
      const reason = /IPVS: Can't initialize ipvs[^\n]*/.exec(log)?.[0];
      const modprobe = /modprobe: FATAL[^\n]*/.exec(log)?.[0];
      if (!reason) return { unavailable: "keepalived's checker process exited" };
      return {
        unavailable: `keepalived's checker cannot run here: it sets up IPVS before its first check and exits FATAL without it (${reason.replace(/^.*IPVS/, 'IPVS')}${modprobe ? `; ${modprobe}` : ''})`,
      };
    };
    if (!Number.isInteger(pid) || !existsSync(`/proc/${pid}`)) return cannotRun();
    niceAutogroup(pid);
    try {
      return await measure(pid);
    } catch {
      return cannotRun();
    }
  } finally {
    parent.kill('SIGTERM');
    await Promise.race([exited, sleep(5000)]);
  }
}

const dir = mkdtempSync(join(tmpdir(), 'kcd-bench-'));
try {
  try {
    execFileSync('ip', ['netns', 'del', NS], { stdio: 'ignore' });
  } catch {
    // none left over
  }
  execFileSync('ip', ['netns', 'add', NS]);
  execFileSync('ip', ['-n', NS, 'link', 'set', 'lo', 'up']);
  listeners = inNamespace(process.execPath, [join(here, 'check-scale-listeners.mjs'), TCP_BASE, HTTP_BASE, PORTS].map(String), { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise((resolve) => listeners.stdout.once('data', resolve));
  const listenersCpu0 = cpuSeconds(listeners.pid);
  const listenersT0 = performance.now();

  console.log(
    `check-scale: ${TCP} TCP_CHECK + ${HTTP} HTTP_GET real servers, delay_loop 1 s, ${SECONDS} s per side (CPU over the last ${SECONDS - WARM_SECONDS - 1} s)${NICE ? `, checkers at nice ${NICE}` : ''}`,
  );
  const our = await ours();
  const listenersPercent = ((cpuSeconds(listeners.pid) - listenersCpu0) / ((performance.now() - listenersT0) / 1000)) * 100;
  const theirs = await keepalived(dir);
  const row = (name, ourValue, theirValue) => console.log(`${name.padEnd(34)}${String(ourValue).padStart(16)}${String(theirValue).padStart(18)}`);
  row('', 'keepalived-ts', 'keepalived 2.2.7');
  const k = (value) => (theirs.unavailable ? 'n/a' : value);
  row('checker CPU (% of one core)', our.cpuPercent.toFixed(1), k(theirs.cpuPercent?.toFixed(1)));
  row('checker RSS (MiB)', our.rssMiB.toFixed(1), k(theirs.rssMiB?.toFixed(1)));
  row('main thread on a CPU (%)', our.mainThreadOnCpuPercent.toFixed(1), 'n/a');
  row('main thread waiting for a CPU (%)', our.mainThreadWaitingForCpuPercent.toFixed(1), 'n/a');
  row(`checks per second (planned ${TCP + HTTP})`, our.checksPerSecond.toFixed(0), k(theirs.checksPerSecond?.toFixed(0)));
  row('CPU per check (us), from the rate', ((our.cpuPercent * 1e4) / our.checksPerSecond).toFixed(1), k(((theirs.cpuPercent * 1e4) / theirs.checksPerSecond).toFixed(1)));
  row('checks completed', our.checks, 'n/a');
  row('checks failed', our.failures, 'n/a');
  row('check start drift p50 (<= ms)', our.driftP50UpperMs.toFixed(1), 'n/a');
  row('check start drift p99 (<= ms)', our.driftP99UpperMs.toFixed(1), 'n/a');
  row('  incl. start-up burst p99 (<= ms)', our.driftP99WholeRunUpperMs.toFixed(1), 'n/a');
  row('  max incl. start-up (ms)', our.driftMaxMs.toFixed(1), 'n/a');
  row('event-loop lag p99 (ms)', our.loopLagP99Ms.toFixed(1), 'n/a');
  console.log(`listeners (the real servers) used ${listenersPercent.toFixed(1)} % of one core meanwhile`);
  if (theirs.unavailable) console.log(`keepalived: ${theirs.unavailable}`);
  console.log(`host load average while measuring: ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')} (${(await import('node:os')).cpus().length} CPUs)`);
  console.log(`goal: drift p99 under 50 ms: ${our.driftP99UpperMs < 50 ? 'met' : 'NOT met'}`);
} finally {
  listeners?.kill();
  try {
    execFileSync('ip', ['netns', 'del', NS], { stdio: 'ignore' });
  } catch {
    // already gone
  }
  rmSync(dir, { recursive: true, force: true });
}
