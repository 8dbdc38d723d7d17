// Cost of a HUP reload of an unchanged 20-instance config (all MASTER, v3, advert 1 s), side by
// side with Debian's keepalived 2.2.7 in the same run, each daemon alone in a namespace: CPU time
// the whole process tree spends per reload (utime+stime from /proc, averaged over 10 reloads
// 600 ms apart, minus the idle CPU of an equal quiet period) and, for ours, the wall time from HUP
// to the VRRP child's "Reload done" line (keepalived logs no end-of-reload line).
// Needs root; run `npm run build:ts` first. Bounded: ~40 s.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';

const BIN = fileURLToPath(new URL('../bin/keepalived-ts', import.meta.url));
const NS = 'kdo-bench-reload';
const INSTANCES = 20;
const RELOADS = 10;
const GAP_MS = 600;
const TICKS_PER_SECOND = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;

const sh = (...args) => spawnSync(args[0], args.slice(1), { stdio: 'ignore' });
const delay = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function config() {
  const blocks = [];
  for (let i = 1; i <= INSTANCES; i++) {
    blocks.push(`vrrp_instance VI_${i} {\n  state BACKUP\n  interface eth0\n  virtual_router_id ${i}\n  priority 150\n  advert_int 1\n  version 3\n  virtual_ipaddress {\n    10.77.${i}.1/24\n  }\n}`);
  }
  return `${blocks.join('\n')}\n`;
}

/** Pids of `root` and all its descendants. */
function tree(root) {
  const parents = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // gone
    }
  }
  const out = [root];
  for (let i = 0; i < out.length; i++) for (const [pid, ppid] of parents) if (ppid === out[i]) out.push(pid);
  return out;
}

/** CPU ms used so far by the tree under `root`. */
function cpuMs(root) {
  let ticks = 0;
  for (const pid of tree(root)) {
    try {
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // gone
    }
  }
  return (ticks * 1000) / TICKS_PER_SECOND;
}

async function measure(name, start, pidFile, reloadDone) {
  const child = start();
  let log = '';
  child.stdout?.on('data', (chunk) => (log += chunk));
  child.stderr?.on('data', (chunk) => (log += chunk));
  const deadline = performance.now() + 20_000;
  while (spawnSync('ip', ['-n', NS, '-o', 'addr', 'show'], { encoding: 'utf8' }).stdout.split(`10.77.${INSTANCES}.1/`).length < 2) {
    if (performance.now() > deadline) throw new Error(`${name} never became MASTER\n${log}`);
    await delay(50);
  }
  await delay(1500);
  const pid = Number(readFileSync(pidFile, 'utf8'));
  const idleStart = cpuMs(pid);
  await delay(RELOADS * GAP_MS);
  const idle = cpuMs(pid) - idleStart;
  const before = cpuMs(pid);
  const walls = [];
  for (let i = 0; i < RELOADS; i++) {
    const done = log.split(reloadDone ?? '\u0000').length;
    const sent = performance.now();
    process.kill(pid, 'SIGHUP');
    if (reloadDone) {
      while (log.split(reloadDone).length === done && performance.now() - sent < 5000) await delay(1);
      walls.push(performance.now() - sent);
    }
    await delay(GAP_MS);
  }
  const perReload = (cpuMs(pid) - before - idle) / RELOADS;
  child.kill('SIGTERM');
  await new Promise((resolve) => child.once('close', resolve));
  walls.sort((a, b) => a - b);
  return { name, perReload, wall: walls.length > 0 ? walls[Math.floor(walls.length / 2)] : undefined };
}

const scratch = mkdtempSync(join(tmpdir(), 'kdo-bench-reload-'));
try {
  sh('ip', 'netns', 'del', NS);
  sh('ip', 'netns', 'add', NS);
  sh('ip', '-n', NS, 'link', 'set', 'lo', 'up');
  sh('ip', '-n', NS, 'link', 'add', 'eth0', 'type', 'veth', 'peer', 'name', 'eth1');
  sh('ip', '-n', NS, 'addr', 'add', '10.76.0.1/24', 'dev', 'eth0');
  sh('ip', '-n', NS, 'link', 'set', 'eth0', 'up');
  sh('ip', '-n', NS, 'link', 'set', 'eth1', 'up');
  writeFileSync(join(scratch, 'k.conf'), config());
  const rows = [];
  rows.push(await measure('keepalived-ts', () => spawn('ip', ['netns', 'exec', NS, process.execPath, BIN, '-n', '-l', '-P', '-f', join(scratch, 'k.conf'),
    '-p', join(scratch, 'ours.pid'), '-r', join(scratch, 'ours-vrrp.pid')], { stdio: ['ignore', 'pipe', 'pipe'] }), join(scratch, 'ours.pid'), 'Reload done'));
  rows.push(await measure('keepalived 2.2.7', () => spawn('ip', ['netns', 'exec', NS, 'keepalived', '-n', '-l', '-P', '-f', join(scratch, 'k.conf'),
    '-p', join(scratch, 'ka.pid'), '-r', join(scratch, 'ka-vrrp.pid'), '-c', join(scratch, 'ka-check.pid')], { stdio: ['ignore', 'pipe', 'pipe'] }), join(scratch, 'ka.pid')));
  console.log(`HUP reload of an unchanged ${INSTANCES}-instance config (median of ${RELOADS} for wall time; CPU averaged, idle subtracted)`);
  console.log('daemon              CPU ms/reload   HUP -> reload done (ms)');
  for (const row of rows) console.log(`${row.name.padEnd(20)}${row.perReload.toFixed(1).padStart(13)}   ${row.wall === undefined ? 'n/a (no end-of-reload log line)' : row.wall.toFixed(1).padStart(10)}`);
  // bench/run.mjs collects these rows into its table.
  if (process.env.BENCH_SUMMARY_FILE) {
    writeFileSync(process.env.BENCH_SUMMARY_FILE, JSON.stringify([{ bench: 'daemon-reload', what: `CPU per HUP reload (${INSTANCES} unchanged instances, whole process tree)`, ours: rows[0].perReload, reference: rows[1].perReload, unit: 'ms' }]));
  }
} finally {
  sh('ip', 'netns', 'del', NS);
  rmSync(scratch, { recursive: true, force: true });
}
