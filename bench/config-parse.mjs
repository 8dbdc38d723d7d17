// Times our in-process parse of a large generated keepalived.conf (bench/gen-config.mjs: 100
// vrrp_instances, 100 virtual_servers x 100 real_servers) side by side with Debian's
// `keepalived -t -f` on the same file in the same run. Needs `npm run build:ts` first.
// Usage: node bench/config-parse.mjs [RUNS]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateConfig } from './gen-config.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const parseModule = join(root, 'dist', 'config', 'parse.js');
if (!existsSync(parseModule)) {
  console.error('bench/config-parse: build first (npm run build:ts)');
  process.exit(2);
}
const { parseConfig } = await import(parseModule);

const runs = Number(process.argv[2] ?? 7);
const dir = mkdtempSync(join(tmpdir(), 'ktscl-bench-'));
const file = join(dir, 'keepalived.conf');
const text = generateConfig();
writeFileSync(file, text);
const lineCount = text.split('\n').length - 1;

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};

/** Wall ms, CPU ms (user + system) and max RSS (MB) of a command, via GNU time when present. */
function measure(command, args) {
  const haveTime = existsSync('/usr/bin/time');
  const start = performance.now();
  const run = haveTime
    ? spawnSync('/usr/bin/time', ['-f', '%M %U %S', command, ...args], { encoding: 'utf8' })
    : spawnSync(command, args, { encoding: 'utf8' });
  const wall = performance.now() - start;
  const [rssKB, user, system] = haveTime ? run.stderr.trim().split('\n').at(-1).split(' ').map(Number) : [NaN, NaN, NaN];
  return { wall, cpu: (user + system) * 1000, rssMB: rssKB / 1024, status: run.status };
}

// Ours, in process: first (cold) run, then the median of warm runs.
const cold = performance.now();
let result = parseConfig(file, { configId: 'bench' });
const coldMs = performance.now() - cold;
const warm = [];
const warmCpu = [];
let peakRss = process.memoryUsage().rss;
for (let i = 0; i < runs; i++) {
  const start = performance.now();
  const startCpu = process.cpuUsage();
  result = parseConfig(file, { configId: 'bench' });
  const cpu = process.cpuUsage(startCpu);
  warm.push(performance.now() - start);
  warmCpu.push((cpu.user + cpu.system) / 1000);
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}
const statements = result.tree.length;
const errors = result.diagnostics.filter((d) => d.severity === 'error').length;

// Ours, as a process that only loads the parser and parses once (the floor of a `-t` run).
const oursProcess = [];
for (let i = 0; i < Math.min(runs, 5); i++) {
  oursProcess.push(measure(process.execPath, ['--input-type=module', '-e',
    `const { parseConfig } = await import(${JSON.stringify(parseModule)}); parseConfig(${JSON.stringify(file)}, { configId: 'bench' });`]));
}

// keepalived's whole config test on the same file.
const keepalived = [];
const haveKeepalived = spawnSync('sh', ['-c', 'command -v keepalived'], { stdio: 'ignore' }).status === 0;
if (haveKeepalived) {
  for (let i = 0; i < Math.min(runs, 5); i++) {
    keepalived.push(measure('keepalived', ['-t', '-f', file, '-p', join(dir, 'k.pid'), '-r', join(dir, 'v.pid'), '-c', join(dir, 'c.pid')]));
  }
}
rmSync(dir, { recursive: true, force: true });

const figure = (value, unit) => (Number.isNaN(value) ? '-' : `${value.toFixed(1)} ${unit}`).padStart(11);
const row = (name, wall, cpu, mb, note = '') => console.log(`${name.padEnd(48)} ${figure(wall, 'ms')} ${figure(cpu, 'ms')} ${figure(mb, 'MB')}  ${note}`);
console.log(`config: ${lineCount} lines, ${statements} top-level statements, ${errors} lexical errors; medians of ${runs} runs (wall time suffers when the machine is busy; CPU time less so)`);
console.log(`${'what'.padEnd(48)} ${'wall'.padStart(11)} ${'cpu'.padStart(11)} ${'peak RSS'.padStart(11)}`);
row('keepalived-ts parseConfig, in process (warm)', median(warm), median(warmCpu), peakRss / 1048576, `min ${Math.min(...warm).toFixed(1)} ms; first (cold) run ${coldMs.toFixed(1)} ms`);
row('keepalived-ts: node + load + one parseConfig', median(oursProcess.map((r) => r.wall)), median(oursProcess.map((r) => r.cpu)), median(oursProcess.map((r) => r.rssMB)));
if (haveKeepalived) {
  row('keepalived -t -f (whole config test)', median(keepalived.map((r) => r.wall)), median(keepalived.map((r) => r.cpu)), median(keepalived.map((r) => r.rssMB)), `exit ${keepalived[0].status}`);
} else {
  console.log('keepalived not installed: no reference figures');
}
