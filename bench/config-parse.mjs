// Config pipeline speed against keepalived on a large generated keepalived.conf
// (bench/gen-config.mjs: 100 vrrp_instances, 100 virtual_servers x 100 real_servers, ~61,700
// lines), all measured in the same run: keepalived's whole `-t`, our in-process loadConfig
// (parse + schema + model + validation), and our whole `./bin/keepalived-ts -t` process. It
// prints the figures side by side and checks issue 9's goals:
//   (a) in-process loadConfig takes no longer than keepalived's whole -t
//   (b) our whole -t process takes at most 3x keepalived's
//   (c) our whole -t process stays under 150 MB peak RSS
// Wall time suffers when the machine is shared, so processes are interleaved (ours, theirs,
// ours, ...), figures are medians, and each time goal is judged on wall and on CPU time.
// With `--against DIR` (another checkout with its dist/ built, e.g. the main branch) it measures
// that build too, interleaved in the same run, for before/after figures.
// Needs `npm run build:ts` first. Usage: node bench/config-parse.mjs [RUNS] [--against DIR]   (default 5 runs)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateConfig } from './gen-config.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cpuNow = () => {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
};

// Child mode: `--in-process ROOT FILE RUNS` loads the config with ROOT's dist/ in this process,
// one cold run, then warm runs (what a reload costs in a running daemon), and prints JSON.
if (process.argv[2] === '--in-process') {
  const [, , , buildRoot, file, runsText] = process.argv;
  const { loadConfig } = await import(join(buildRoot, 'dist', 'config', 'load.js'));
  const timed = () => {
    const cpuStart = cpuNow();
    const wallStart = performance.now();
    const result = loadConfig(file, { configId: 'bench' });
    return { wall: performance.now() - wallStart, cpu: cpuNow() - cpuStart, result };
  };
  const { result, ...cold } = timed();
  const warm = [];
  for (let i = 0; i < Math.max(Number(runsText), 5); i++) {
    const { result: _, ...figures } = timed();
    warm.push(figures);
  }
  const config = result.config;
  console.log(JSON.stringify({
    cold, warm,
    errors: result.diagnostics.filter((d) => d.severity === 'error').length,
    vrrpInstances: config.vrrpInstances.length,
    virtualServers: config.virtualServers.length,
    realServers: config.virtualServers.reduce((n, vs) => n + vs.realServers.length, 0),
  }));
  process.exit(0);
}

const args = process.argv.slice(2);
const againstAt = args.indexOf('--against');
const against = againstAt >= 0 ? resolve(args[againstAt + 1] ?? '') : null;
if (againstAt >= 0) args.splice(againstAt, 2);
const runs = Math.max(1, Number(args[0] ?? 5));
for (const buildRoot of [root, ...(against ? [against] : [])]) {
  if (!existsSync(join(buildRoot, 'dist', 'config', 'load.js'))) {
    console.error(`bench/config-parse: build ${buildRoot} first (npm run build:ts)`);
    process.exit(2);
  }
}

const dir = mkdtempSync(join(tmpdir(), 'ktscp-bench-'));
const file = join(dir, 'keepalived.conf');
const text = generateConfig();
writeFileSync(file, text);
const lineCount = text.split('\n').length - 1;

const median = (values) => {
  const sorted = values.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
  return sorted.length === 0 ? NaN : sorted[Math.floor(sorted.length / 2)];
};
const haveTime = existsSync('/usr/bin/time');

/** Wall ms, CPU ms (user + system, children included) and max RSS (MB) of one command, via GNU time. */
function measure(command, commandArgs) {
  const start = performance.now();
  const run = haveTime
    ? spawnSync('/usr/bin/time', ['-f', '%M %U %S', command, ...commandArgs], { encoding: 'utf8' })
    : spawnSync(command, commandArgs, { encoding: 'utf8' });
  const wall = performance.now() - start;
  const [rssKB, user, system] = haveTime ? run.stderr.trim().split('\n').at(-1).split(' ').map(Number) : [NaN, NaN, NaN];
  return { wall, cpu: (user + system) * 1000, rssMB: rssKB / 1024, status: run.status };
}

/** In-process figures of one build, measured in a child process of its own. */
function inProcess(buildRoot) {
  const run = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--in-process', buildRoot, file, String(runs)], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`in-process run of ${buildRoot} failed: ${run.stderr}`);
  return JSON.parse(run.stdout);
}

const ourLoad = inProcess(root);
const baselineLoad = against ? inProcess(against) : null;

// Whole processes, interleaved so both see the same machine load.
const haveKeepalived = spawnSync('sh', ['-c', 'command -v keepalived'], { stdio: 'ignore' }).status === 0;
const ours = [];
const baseline = [];
const keepalived = [];
for (let i = 0; i < runs; i++) {
  // Run as operators run it (`./bin/keepalived-ts -t -f FILE`): its own first line picks how Node starts.
  ours.push(measure(join(root, 'bin', 'keepalived-ts'), ['-t', '-f', file]));
  if (against) baseline.push(measure(join(against, 'bin', 'keepalived-ts'), ['-t', '-f', file]));
  if (haveKeepalived) {
    keepalived.push(measure('keepalived', ['-t', '-f', file, '-p', join(dir, 'k.pid'), '-r', join(dir, 'v.pid'), '-c', join(dir, 'c.pid')]));
  }
}
rmSync(dir, { recursive: true, force: true });

const summary = (rows) => ({
  wall: median(rows.map((r) => r.wall)),
  cpu: median(rows.map((r) => r.cpu)),
  rssMB: median(rows.map((r) => r.rssMB ?? NaN)),
});
const warm = summary(ourLoad.warm);
const whole = summary(ours);
const reference = summary(keepalived);

const figure = (value, unit) => (Number.isNaN(value) ? '-' : `${value.toFixed(1)} ${unit}`).padStart(11);
const row = (name, s, note = '') => console.log(`${name.padEnd(44)} ${figure(s.wall, 'ms')} ${figure(s.cpu, 'ms')} ${figure(s.rssMB, 'MB')}  ${note}`);
const coldNote = (load) => `cold first run ${load.cold.wall.toFixed(1)} ms wall, ${load.cold.cpu.toFixed(1)} ms cpu`;
console.log(`config: ${lineCount} lines, ${ourLoad.vrrpInstances} vrrp_instances, ${ourLoad.virtualServers} virtual_servers, ` +
  `${ourLoad.realServers} real_servers, ${ourLoad.errors} errors; medians of ${runs} runs`);
console.log(`${'what'.padEnd(44)} ${'wall'.padStart(11)} ${'cpu'.padStart(11)} ${'peak RSS'.padStart(11)}`);
if (haveKeepalived) row('keepalived -t -f (whole process)', reference, `exit ${keepalived[0].status}`);
else console.log('keepalived not installed: no reference figures, goals not judged');
row('keepalived-ts loadConfig, in process (warm)', { ...warm, rssMB: NaN }, coldNote(ourLoad));
row('keepalived-ts -t -f (whole process)', whole, `exit ${ours[0].status}`);
if (baselineLoad) {
  console.log(`baseline: ${against}`);
  row('  baseline loadConfig, in process (warm)', { ...summary(baselineLoad.warm), rssMB: NaN }, coldNote(baselineLoad));
  row('  baseline -t -f (whole process)', summary(baseline), `exit ${baseline[0].status}`);
}
if (!haveKeepalived) process.exit(0);
if (process.env.BENCH_SUMMARY_FILE) {
  // bench/run.mjs collects these rows into its combined table.
  writeFileSync(process.env.BENCH_SUMMARY_FILE, JSON.stringify([
    { bench: 'config-parse', what: 'large config: in-process loadConfig (warm) vs whole keepalived -t, CPU', ours: warm.cpu, reference: reference.cpu, unit: 'ms' },
    { bench: 'config-parse', what: 'large config: whole -t process, CPU', ours: whole.cpu, reference: reference.cpu, unit: 'ms' },
    { bench: 'config-parse', what: 'large config: whole -t process, wall', ours: whole.wall, reference: reference.wall, unit: 'ms' },
    { bench: 'config-parse', what: 'large config: whole -t process, peak RSS', ours: whole.rssMB, reference: reference.rssMB, unit: 'MB' },
  ]));
}

const verdict = (ratio, limit) => `${ratio.toFixed(2)}x ${ratio <= limit ? 'PASS' : 'MISS'}`;
console.log('goals (ratio to keepalived, judged on wall and on CPU time):');
console.log(`  (a) in-process loadConfig <= keepalived -t       wall ${verdict(warm.wall / reference.wall, 1)}   cpu ${verdict(warm.cpu / reference.cpu, 1)}`);
console.log(`  (b) whole -t process <= 3x keepalived -t         wall ${verdict(whole.wall / reference.wall, 3)}   cpu ${verdict(whole.cpu / reference.cpu, 3)}`);
console.log(`  (c) whole -t process peak RSS < 150 MB           ${whole.rssMB.toFixed(1)} MB ${whole.rssMB < 150 ? 'PASS' : 'MISS'} (keepalived ${reference.rssMB.toFixed(1)} MB)`);
