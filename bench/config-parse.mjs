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

/** Wall ms and max RSS (MB) of a command, via GNU time when present. */
function measure(command, args) {
  const haveTime = existsSync('/usr/bin/time');
  const start = performance.now();
  const run = haveTime
    ? spawnSync('/usr/bin/time', ['-f', '%M', command, ...args], { encoding: 'utf8' })
    : spawnSync(command, args, { encoding: 'utf8' });
  const wall = performance.now() - start;
  const rssLine = haveTime ? run.stderr.trim().split('\n').at(-1) : '';
  return { wall, rssMB: haveTime ? Number(rssLine) / 1024 : NaN, status: run.status };
}

// Ours, in process: first (cold) run, then the median of warm runs.
const cold = performance.now();
let result = parseConfig(file, { configId: 'bench' });
const coldMs = performance.now() - cold;
const warm = [];
let peakRss = process.memoryUsage().rss;
for (let i = 0; i < runs; i++) {
  const start = performance.now();
  result = parseConfig(file, { configId: 'bench' });
  warm.push(performance.now() - start);
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

const row = (name, ms, mb, note = '') => console.log(`${name.padEnd(44)} ${ms.toFixed(1).padStart(9)} ms ${Number.isNaN(mb) ? '        -' : mb.toFixed(1).padStart(9) + ' MB'}  ${note}`);
console.log(`config: ${lineCount} lines, ${statements} top-level statements, ${errors} lexical errors; ${runs} runs`);
console.log(`${'what'.padEnd(44)} ${'wall'.padStart(12)} ${'peak RSS'.padStart(12)}`);
row('keepalived-ts parseConfig, in process (median)', median(warm), peakRss / 1048576, `min ${Math.min(...warm).toFixed(1)} ms, cold first run ${coldMs.toFixed(1)} ms`);
row('keepalived-ts node + parseConfig process', median(oursProcess.map((r) => r.wall)), median(oursProcess.map((r) => r.rssMB)));
if (haveKeepalived) {
  row('keepalived -t -f (whole config test)', median(keepalived.map((r) => r.wall)), median(keepalived.map((r) => r.rssMB)), `exit ${keepalived[0].status}`);
} else {
  console.log('keepalived not installed: no reference figures');
}
