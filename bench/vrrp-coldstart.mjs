// Benchmark: the cold start of one director, step by step, ours beside Debian's keepalived 2.2.7
// in the same run. One network namespace (kcd-cs-d) with one interface; a v3 0.01 instance
// (master-down ~40 ms) so that the figure is mostly process start-up. For ours, every process
// prints its steps (KEEPALIVED_TS_STARTUP_TRACE, src/common/startup-trace.ts) and the table gives
// the median of each step, in ms from the bench's spawn of the daemon; "VIP" is the kernel's
// RTM_NEWADDR as `ip monitor address` reports it. RSS and CPU time are read per process 1.5 s after
// the VIP (CPU: what starting costs, which decides the start of two directors on a small host).
//   npm run build:ts && node bench/vrrp-coldstart.mjs [--reps N] [--bin PATH] [--advert-int S]
// Root needed.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const argText = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i < 0 ? fallback : process.argv[i + 1];
};
const BIN = argText('--bin', join(dirname(fileURLToPath(import.meta.url)), '..', 'bin', 'keepalived-ts'));
const REPS = Number(argText('--reps', 7));
const ADVERT_INT = Number(argText('--advert-int', 0.01));
const NS = 'kcd-cs-d';
const VIP = '10.67.0.100';
const scratch = mkdtempSync(join(tmpdir(), 'kcd-cs-'));
const nowMs = () => performance.timeOrigin + performance.now();
const delay = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? NaN : sorted[Math.floor((sorted.length - 1) / 2)];
};

function sh(command, args) {
  const result = spawnSync(command, args, { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')}: ${result.stderr}`);
  return result.stdout;
}
function destroyLab() {
  spawnSync('ip', ['netns', 'del', NS], { stdio: 'ignore' });
}
function createLab() {
  destroyLab();
  sh('ip', ['netns', 'add', NS]);
  sh('ip', ['-n', NS, 'link', 'set', 'lo', 'up']);
  sh('ip', ['-n', NS, 'link', 'add', 'eth0', 'type', 'veth', 'peer', 'name', 'eth1']);
  sh('ip', ['-n', NS, 'link', 'set', 'eth1', 'up']);
  sh('ip', ['-n', NS, 'addr', 'add', '10.67.0.10/24', 'dev', 'eth0']);
  sh('ip', ['-n', NS, 'link', 'set', 'eth0', 'up']);
}

const CONFIG = `global_defs {\n}\nvrrp_instance VI_1 {\n  state BACKUP\n  interface eth0\n  virtual_router_id 1\n  priority 150\n` +
  `  advert_int ${ADVERT_INT}\n  version 3\n  virtual_ipaddress {\n    ${VIP}/24\n  }\n}\n`;

/** Resolves with the epoch ms at which `ip monitor address` reported the VIP added. */
function watchVip() {
  const monitor = spawn('ip', ['-n', NS, 'monitor', 'address'], { stdio: ['ignore', 'pipe', 'ignore'] });
  let buffer = '';
  const added = new Promise((resolve) => {
    monitor.stdout.on('data', (chunk) => {
      const at = nowMs();
      buffer += chunk.toString();
      const lines = buffer.split('\n');
      buffer = lines.pop();
      if (lines.some((line) => !line.startsWith('Deleted') && line.includes(` ${VIP}/`))) resolve(at);
    });
  });
  return { added, stop: () => monitor.kill() };
}

function processTree(rootPid) {
  const children = new Map();
  for (const line of sh('ps', ['-e', '-o', 'pid=,ppid=']).trim().split('\n')) {
    const [pid, ppid] = line.trim().split(/\s+/).map(Number);
    children.set(ppid, [...(children.get(ppid) ?? []), pid]);
  }
  const tree = [];
  const walk = (pid) => { tree.push(pid); for (const c of children.get(pid) ?? []) walk(c); };
  walk(rootPid);
  return tree;
}
/** CPU ms of every thread of `pid` so far (schedstat: nanoseconds). */
function cpuMs(pid) {
  let ns = 0;
  try {
    for (const task of readdirSync(`/proc/${pid}/task`)) ns += Number(readFileSync(`/proc/${pid}/task/${task}/schedstat`, 'utf8').split(' ')[0]);
  } catch {}
  return ns / 1e6;
}
function rssMb(pid) {
  try { return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024; } catch { return NaN; }
}

async function stop(child) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  if ((await Promise.race([exited, delay(8000).then(() => 'timeout')])) === 'timeout') for (const pid of processTree(child.pid)) try { process.kill(pid, 'SIGKILL'); } catch {}
  await exited;
}

/** One cold start: { steps: {label: ms}, vip: ms, rss: [MB per process, parent first] }. */
async function coldStart(impl) {
  const dir = mkdtempSync(join(scratch, `${impl}-`));
  const file = join(dir, 'k.conf');
  writeFileSync(file, CONFIG);
  const pidArgs = ['-p', join(dir, 'p.pid'), '-r', join(dir, 'v.pid')];
  const command = impl === 'ours'
    ? [BIN, '-n', '-P', '-f', file, ...pidArgs] // as operators run it: its first line picks how Node starts
    : ['keepalived', '-n', '-P', '-G', '-f', file, ...pidArgs, '-c', join(dir, 'c.pid')];
  const watch = watchVip();
  await delay(100);
  const t0 = nowMs();
  const child = spawn('ip', ['netns', 'exec', NS, ...command], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, KEEPALIVED_TS_STARTUP_TRACE: '1' } });
  const steps = {};
  const roles = new Map(); // pid -> 'parent' | 'child'
  let stderr = '';
  child.stderr.on('data', (chunk) => {
    stderr += chunk.toString();
    const lines = stderr.split('\n');
    stderr = lines.pop();
    for (const line of lines) {
      const match = /^kts-startup (\d+) (\S+) ([\d.]+)$/.exec(line);
      if (!match) continue;
      const role = Number(match[1]) === child.pid ? 'parent' : 'vrrp';
      roles.set(Number(match[1]), role);
      steps[`${role}: ${match[2]}`] ??= Number(match[3]) - t0;
    }
  });
  try {
    const vip = (await Promise.race([watch.added, delay(10_000).then(() => NaN)])) - t0;
    await delay(1500);
    const tree = processTree(child.pid);
    return { steps, vip, rss: tree.map((pid) => rssMb(pid)), cpu: tree.map((pid) => cpuMs(pid)) };
  } finally {
    watch.stop();
    await stop(child);
    spawnSync('ip', ['-n', NS, 'addr', 'del', `${VIP}/24`, 'dev', 'eth0'], { stdio: 'ignore' });
    rmSync(dir, { recursive: true, force: true });
  }
}

for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => { destroyLab(); process.exit(130); });
createLab();
try {
  const results = { ours: [], keepalived: [] };
  for (let i = 0; i < REPS; i++) for (const impl of ['ours', 'keepalived']) results[impl].push(await coldStart(impl));
  process.stdout.write(`cold start, one director, v3 advert_int ${ADVERT_INT}, ${REPS} runs each, ms from spawn (median); ${BIN}; host: ${sh('uptime', []).trim()}\n`);
  const labels = [...new Set(results.ours.flatMap((r) => Object.keys(r.steps)))]
    .sort((a, b) => median(results.ours.map((r) => r.steps[a] ?? NaN).filter(Number.isFinite)) - median(results.ours.map((r) => r.steps[b] ?? NaN).filter(Number.isFinite)));
  for (const label of labels) process.stdout.write(`  ${label.padEnd(36)} ${median(results.ours.map((r) => r.steps[label]).filter(Number.isFinite)).toFixed(1)}\n`);
  for (const impl of ['ours', 'keepalived']) {
    const vips = results[impl].map((r) => r.vip);
    const rss = results[impl][0].rss;
    const processes = Math.min(...results[impl].map((r) => r.cpu.length));
    const cpu = Array.from({ length: processes }, (_, i) => median(results[impl].map((r) => r.cpu[i])));
    process.stdout.write(`${impl.padEnd(10)} VIP median ${median(vips.filter(Number.isFinite)).toFixed(1)} ms  [${vips.map((v) => v.toFixed(0)).join(' ')}]\n` +
      `           per process, parent first ('ip netns exec' execs the daemon): RSS ${rss.map((v) => v.toFixed(1)).join(' + ')} = ${rss.reduce((a, b) => a + b, 0).toFixed(1)} MB;` +
      ` CPU from exec to 1.5 s after the VIP (median) ${cpu.map((v) => v.toFixed(0)).join(' + ')} = ${cpu.reduce((a, b) => a + b, 0).toFixed(0)} ms\n`);
  }
} finally {
  destroyLab();
  rmSync(scratch, { recursive: true, force: true });
}
