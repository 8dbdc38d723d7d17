// Benchmark for a design decision (no product code runs differently): how soon the VRRP code is
// running after exec when the first process starts it (a) as a forked child process, as the daemon
// does (from its bundle, without NODE_EXTRA_CA_CERTS: src/daemon/vrrp-child-environment.ts), or
// (b) as a worker_thread of the first process (from the same bundle). The figure is exec -> the child's `vrrp-code-loaded`
// marker (src/common/startup-trace.ts), the point after which both designs do the same work
// (config, sockets, master-down timer). The first process is a minimal Node script, so its own
// start is common to both. No network, no root: the child stops at its missing config file.
//   npm run build:ts && node bench/vrrp-child-vs-worker.mjs [--reps N]
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repsIndex = process.argv.indexOf('--reps');
const REPS = repsIndex < 0 ? 9 : Number(process.argv[repsIndex + 1]);
const daemonDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'daemon');
const bundle = join(daemonDir, 'vrrp-process.bundle.js');
const settings = JSON.stringify({ configFile: '/nonexistent/keepalived.conf', vrrpPidFile: '/nonexistent/v.pid' });
const scratch = mkdtempSync(join(tmpdir(), 'kcd-cvw-'));
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)];

const forkScript = `import { fork } from 'node:child_process';
const { NODE_EXTRA_CA_CERTS, ...env } = process.env;
fork(${JSON.stringify(bundle)}, [${JSON.stringify(settings)}], { stdio: 'inherit', env });`;
const workerScript = `import { Worker } from 'node:worker_threads';
new Worker(${JSON.stringify(bundle)}, { argv: [${JSON.stringify(settings)}], stdout: false, stderr: false });`;
const designs = {
  'forked child': forkScript,
  'worker_thread': workerScript,
};
const files = Object.fromEntries(Object.entries(designs).map(([name, text], i) => {
  const file = join(scratch, `design-${i}.mjs`);
  writeFileSync(file, text);
  return [name, file];
}));

/** ms from spawning the first process to the VRRP code's `vrrp-code-loaded` marker. */
function once(file) {
  return new Promise((resolve, reject) => {
    const t0 = performance.timeOrigin + performance.now();
    const child = spawn(process.execPath, [file], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, KEEPALIVED_TS_STARTUP_TRACE: '1' } });
    let text = '';
    child.stderr.on('data', (chunk) => { text += chunk; });
    child.on('exit', () => {
      const match = /kts-startup \d+ vrrp-code-loaded ([\d.]+)/.exec(text);
      if (match) resolve(Number(match[1]) - t0);
      else reject(new Error(`no marker: ${text.slice(0, 300)}`));
    });
  });
}

try {
  const samples = Object.fromEntries(Object.keys(files).map((name) => [name, []]));
  for (let i = 0; i < REPS; i++) for (const [name, file] of Object.entries(files)) samples[name].push(await once(file));
  const { execSync } = await import('node:child_process');
  process.stdout.write(`exec of the first process -> VRRP code running, median of ${REPS} (ms); NODE_EXTRA_CA_CERTS ${process.env.NODE_EXTRA_CA_CERTS ? 'set' : 'unset'} in the first process; host: ${execSync('uptime').toString().trim()}\n`);
  for (const [name, values] of Object.entries(samples)) process.stdout.write(`  ${name.padEnd(24)} ${median(values).toFixed(1)}   [${values.map((v) => v.toFixed(0)).join(' ')}]\n`);
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
