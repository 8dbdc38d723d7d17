// Benchmark for a design decision (no product code runs differently): how soon the VRRP code is
// running after exec when the first process starts it (a) as a forked child process, as the daemon
// does (from its bundle, without NODE_EXTRA_CA_CERTS: src/daemon/vrrp-child-environment.ts), or
// (b) as a worker_thread of the first process (from the same bundle). The figure is exec -> the
// VRRP code's `vrrp-code-loaded` marker (src/common/startup-trace.ts), the point after which both
// designs do the same work (config, sockets, master-down timer); then, 300 ms later (the code waits
// for a config handoff that never comes), the CPU time and RSS of all processes, the cost of each
// design. The first process is a minimal Node script, so its own start is common to both. No
// network, no root.
//   npm run build:ts && node bench/vrrp-child-vs-worker.mjs [--reps N]
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repsIndex = process.argv.indexOf('--reps');
const REPS = repsIndex < 0 ? 9 : Number(process.argv[repsIndex + 1]);
const daemonDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'daemon');
const bundle = join(daemonDir, 'vrrp-process.bundle.js');
const settings = JSON.stringify({ configFile: '/nonexistent/keepalived.conf', vrrpPidFile: '/nonexistent/v.pid' });
/** The VRRP code's first-start flag (src/daemon/vrrp-config-handoff.ts): it waits for its config. */
const CONFIG_FROM_PARENT = '--config-from-parent';
const scratch = mkdtempSync(join(tmpdir(), 'kcd-cvw-'));
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)];

const forkScript = `import { fork } from 'node:child_process';
const { NODE_EXTRA_CA_CERTS, ...env } = process.env;
fork(${JSON.stringify(bundle)}, [${JSON.stringify(settings)}, '${CONFIG_FROM_PARENT}'], { stdio: 'inherit', env });`;
const workerScript = `import { Worker } from 'node:worker_threads';
// The VRRP code waits for its config on process messages, which do not keep a worker alive: the
// interval does, as a real worker design's message port would.
new Worker('setInterval(() => {}, 60_000); import(' + ${JSON.stringify(JSON.stringify(bundle))} + ');', { eval: true, argv: [${JSON.stringify(settings)}, '${CONFIG_FROM_PARENT}'], stdout: false, stderr: false });`;
const designs = {
  'forked child': forkScript,
  'worker_thread': workerScript,
};
const files = Object.fromEntries(Object.entries(designs).map(([name, text], i) => {
  const file = join(scratch, `design-${i}.mjs`);
  writeFileSync(file, text);
  return [name, file];
}));

function childPids(pid) {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}
function cpuMs(pid) {
  let ns = 0;
  try {
    for (const task of readdirSync(`/proc/${pid}/task`)) ns += Number(readFileSync(`/proc/${pid}/task/${task}/schedstat`, 'utf8').split(' ')[0]);
  } catch {}
  return ns / 1e6;
}
function rssMb(pid) {
  try { return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024; } catch { return 0; }
}

/** { loadedMs: exec -> `vrrp-code-loaded`, cpuMs, rssMb } of one start (all processes). */
function once(file) {
  return new Promise((resolve, reject) => {
    const t0 = performance.timeOrigin + performance.now();
    const first = spawn(process.execPath, [file], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, KEEPALIVED_TS_STARTUP_TRACE: '1' } });
    let text = '';
    let timer;
    const giveUp = setTimeout(() => { first.kill('SIGKILL'); reject(new Error(`no marker: ${text.slice(0, 300)}`)); }, 10_000);
    first.stderr.on('data', (chunk) => {
      text += chunk;
      const match = /kts-startup \d+ vrrp-code-loaded ([\d.]+)/.exec(text);
      if (!match || timer !== undefined) return;
      clearTimeout(giveUp);
      timer = setTimeout(() => {
        const pids = [first.pid, ...childPids(first.pid)];
        const figures = { loadedMs: Number(match[1]) - t0, cpuMs: pids.reduce((sum, pid) => sum + cpuMs(pid), 0), rssMb: pids.reduce((sum, pid) => sum + rssMb(pid), 0) };
        for (const pid of pids.reverse()) try { process.kill(pid, 'SIGKILL'); } catch {}
        first.once('exit', () => resolve(figures));
      }, 300);
    });
  });
}

try {
  const samples = Object.fromEntries(Object.keys(files).map((name) => [name, []]));
  for (let i = 0; i < REPS; i++) for (const [name, file] of Object.entries(files)) samples[name].push(await once(file));
  const { execSync } = await import('node:child_process');
  process.stdout.write(`medians of ${REPS}; NODE_EXTRA_CA_CERTS ${process.env.NODE_EXTRA_CA_CERTS ? 'set' : 'unset'} in the first process; host: ${execSync('uptime').toString().trim()}\n`);
  process.stdout.write(`  ${'design'.padEnd(16)} ${'exec -> VRRP code (ms)'.padEnd(24)} ${'CPU, all (ms)'.padEnd(14)} RSS, all (MB)\n`);
  for (const [name, runs] of Object.entries(samples)) {
    process.stdout.write(`  ${name.padEnd(16)} ${median(runs.map((r) => r.loadedMs)).toFixed(1).padEnd(24)} ${median(runs.map((r) => r.cpuMs)).toFixed(0).padEnd(14)} ${median(runs.map((r) => r.rssMb)).toFixed(1)}\n`);
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
