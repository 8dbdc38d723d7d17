// Benchmark: how regularly a vrrp_script runs at `interval 1`, ours (ScriptTracker) and Debian's
// keepalived 2.2.7 side by side (the script stamps its own start time, so both sides are measured
// the same way), and what one track_process /proc scan costs against `pgrep`. keepalived 2.2.7
// takes whole seconds only for `interval` ("invalid number '0.1'" → 1 s, measured), so 1 s it is.
//   npm run build:ts && node bench/vrrp-tracker-scripts.mjs        (root: keepalived runs in a namespace)
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ScriptRunner } from '../dist/common/script-runner.js';
import { ScriptTracker } from '../dist/vrrp/trackers/script-tracker.js';
import { ProcessScanner } from '../dist/vrrp/trackers/process-tracker.js';

const SECONDS = 8;
const namespace = `ktsvt-bench-${process.pid}`;
const dir = mkdtempSync('/run/ktsvt-bench-');
chmodSync(dir, 0o755);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const quantile = (values, q) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(q * values.length))];

function stampScript(name) {
  const path = join(dir, `${name}.sh`);
  writeFileSync(path, `#!/bin/sh\ndate +%s%N >> ${join(dir, `${name}.log`)}\n`);
  chmodSync(path, 0o755);
  return path;
}

function spacing(name) {
  const stamps = readFileSync(join(dir, `${name}.log`), 'utf8').trim().split('\n').map((l) => Number(BigInt(l) / 1000n) / 1000);
  const gaps = stamps.slice(1).map((t, i) => t - stamps[i]);
  return { runs: stamps.length, median: quantile(gaps, 0.5), p99: quantile(gaps, 0.99), max: Math.max(...gaps) };
}

async function keepalived() {
  const script = stampScript('keepalived');
  spawnSync('ip', ['netns', 'add', namespace]);
  spawnSync('ip', ['-n', namespace, 'link', 'add', 'kb0', 'type', 'veth', 'peer', 'name', 'kb1']);
  spawnSync('ip', ['-n', namespace, 'link', 'set', 'kb0', 'up']);
  spawnSync('ip', ['-n', namespace, 'link', 'set', 'kb1', 'up']);
  spawnSync('ip', ['-n', namespace, 'addr', 'add', '10.97.0.1/24', 'dev', 'kb0']);
  const config = join(dir, 'keepalived.conf');
  writeFileSync(config, `vrrp_script stamp {\n  script ${script}\n  interval 1\n}\nvrrp_instance B {\n  interface kb0\n  virtual_router_id 97\n  priority 100\n  track_script {\n    stamp\n  }\n  virtual_ipaddress {\n    10.97.0.100/24\n  }\n}\n`);
  const child = spawn('ip', ['netns', 'exec', namespace, 'keepalived', '-n', '-l', '-D', '-f', config, '-p', join(dir, 'k.pid'), '-r', join(dir, 'v.pid')], { stdio: 'ignore' });
  const exited = new Promise((r) => child.once('exit', r));
  await sleep(SECONDS * 1000);
  child.kill('SIGTERM');
  await exited;
  return spacing('keepalived');
}

async function ours() {
  const tracker = new ScriptTracker({ name: 'stamp', argv: [stampScript('ours')], intervalMs: 1000, rise: 1, fall: 1, initFail: false, runner: new ScriptRunner() });
  tracker.start();
  await sleep(SECONDS * 1000);
  tracker.stop();
  return spacing('ours');
}

async function scans() {
  const scanner = new ProcessScanner({ readCommandLines: false });
  const withArgs = new ProcessScanner({ readCommandLines: true });
  const time = async (fn) => {
    const times = [];
    for (let i = 0; i < 20; i++) {
      const started = performance.now();
      await fn();
      times.push(performance.now() - started);
    }
    return quantile(times, 0.5);
  };
  const processes = (await scanner.scan()).length;
  return {
    processes,
    ours: await time(() => scanner.scan()),
    oursCmdline: await time(() => withArgs.scan()),
    pgrep: await time(() => spawnSync('pgrep', ['-x', 'sleep'])),
    pgrepFull: await time(() => spawnSync('pgrep', ['-f', 'sleep 1000'])),
  };
}

try {
  const theirs = await keepalived();
  const mine = await ours();
  const scan = await scans();
  const row = (label, r) => `${label.padEnd(22)} ${String(r.runs).padStart(5)} ${r.median.toFixed(1).padStart(9)} ${r.p99.toFixed(1).padStart(9)} ${r.max.toFixed(1).padStart(9)}`;
  console.log(`vrrp_script at interval 1 s for ${SECONDS} s (spacing of script starts, ms)`);
  console.log(`${''.padEnd(22)} ${'runs'.padStart(5)} ${'median'.padStart(9)} ${'p99'.padStart(9)} ${'max'.padStart(9)}`);
  console.log(row('keepalived 2.2.7', theirs));
  console.log(row('keepalived-ts', mine));
  console.log(`\ntrack_process: one /proc scan of ${scan.processes} processes (median of 20, ms)`);
  console.log(`  ours, names only      ${scan.ours.toFixed(2)}   pgrep -x (incl. its start)  ${scan.pgrep.toFixed(2)}`);
  console.log(`  ours, with cmdline    ${scan.oursCmdline.toFixed(2)}   pgrep -f (incl. its start)  ${scan.pgrepFull.toFixed(2)}`);
} finally {
  spawnSync('ip', ['netns', 'delete', namespace]);
  rmSync(dir, { recursive: true, force: true });
}
