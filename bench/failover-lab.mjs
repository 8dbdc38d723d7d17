// Failover times of Debian's keepalived and of ours, measured in the same run by the lab
// (network namespaces, see src/lab): for each timer setting and fault, the median over N runs of
// the time until the VIP is on the next master and of the client's longest ping gap.
// Root needed. `npm run build:ts` first.
//   node bench/failover-lab.mjs [--repeat N] [--quick] [--json]
// --quick runs only the 0.1 s setting. The 1 s setting runs fewer times (each run takes ~10 s).
// With BENCH_SUMMARY_FILE set (bench/run.mjs does), rows for the combined table are written there.
import { writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { runLab } from '../dist/lab/lab.js';
import { IMPLEMENTATIONS } from '../dist/lab/implementations.js';
import { medians } from '../dist/lab/report.js';

const { values } = parseArgs({ options: { repeat: { type: 'string' }, quick: { type: 'boolean' }, json: { type: 'boolean' } } });
const repeat = Number(values.repeat ?? 5);
const defaultConfig = join(dirname(fileURLToPath(import.meta.url)), '..', 'conf.examples', 'master-backup.conf');

const SETTINGS = [
  { label: 'v3 adv 0.1', version: 3, advertIntSeconds: 0.1, repeat, scenarios: ['election', 'crash', 'link-down', 'stop', 'preempt'] },
  { label: 'v3 adv 0.01', version: 3, advertIntSeconds: 0.01, repeat, scenarios: ['election', 'crash', 'link-down', 'stop'] },
  { label: 'v2 adv 1', version: 2, advertIntSeconds: 1, repeat: Math.min(repeat, 3), scenarios: ['crash', 'link-down', 'stop'] },
].filter((setting) => !values.quick || setting.advertIntSeconds === 0.1);

const controller = new AbortController();
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => controller.abort(new Error(`interrupted by ${signal}`)));

const figures = new Map(); // `${label}|${scenario}` → { keepalived: MedianRow, ours: MedianRow }
const unavailable = {};
for (const implementation of ['keepalived', 'ours']) {
  const missing = IMPLEMENTATIONS[implementation].unavailable();
  if (missing) {
    unavailable[implementation] = missing;
    continue;
  }
  for (const setting of SETTINGS) {
    if (controller.signal.aborted) break;
    process.stderr.write(`== ${implementation}, ${setting.label}, ${setting.repeat} runs per scenario\n`);
    const { report } = await runLab(
      {
        scenarios: setting.scenarios,
        repeat: setting.repeat,
        generated: { directors: 2, advertIntSeconds: setting.advertIntSeconds, version: setting.version, unicast: false },
        implementation,
        keep: false,
        progress: (line) => process.stderr.write(`   ${line.split('\n')[0]}\n`),
        signal: controller.signal,
      },
      defaultConfig,
    );
    for (const result of report.results) {
      const key = `${setting.label}|${result.scenario}`;
      const entry = figures.get(key) ?? {};
      entry[implementation] = { ...medians(result.runs), runs: result.runs.length, failures: result.failures.length };
      figures.set(key, entry);
    }
  }
}
if (controller.signal.aborted) {
  process.stderr.write('interrupted\n');
  process.exit(130);
}

const rows = [...figures].map(([key, entry]) => {
  const [setting, scenario] = key.split('|');
  return { setting, scenario, keepalived: entry.keepalived, ours: entry.ours };
});
if (process.env.BENCH_SUMMARY_FILE) {
  const summary = rows.flatMap((row) => [
    { bench: 'failover', what: `${row.setting} ${row.scenario}: VIP moved`, reference: row.keepalived?.vipSeconds, ours: row.ours?.vipSeconds, unit: 's' },
    { bench: 'failover', what: `${row.setting} ${row.scenario}: ping gap`, reference: row.keepalived?.pingGapSeconds, ours: row.ours?.pingGapSeconds, unit: 's' },
  ]);
  writeFileSync(process.env.BENCH_SUMMARY_FILE, JSON.stringify(summary));
}
if (values.json) {
  console.log(JSON.stringify({ repeat, unavailable, rows }, null, 2));
} else {
  const s = (value) => (value === undefined ? '—' : value.toFixed(3));
  const runsOf = (m) => (m ? `${m.runs}/${m.runs + m.failures}` : '—');
  const header = ['setting', 'scenario', 'VIP moved: keepalived', 'ours', 'ping gap: keepalived', 'ours', 'runs k/o'];
  const table = rows.map((r) => [r.setting, r.scenario, s(r.keepalived?.vipSeconds), s(r.ours?.vipSeconds), s(r.keepalived?.pingGapSeconds), s(r.ours?.pingGapSeconds), `${runsOf(r.keepalived)} ${runsOf(r.ours)}`]);
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i].length)));
  const line = (cells) => cells.map((cell, i) => cell.padEnd(widths[i])).join('  ');
  console.log(`failover (seconds, median of ${repeat}; the 1 s setting of ${Math.min(repeat, 3)}): keepalived 2.2.7 vs ours, same lab, same run`);
  console.log(line(header));
  for (const row of table) console.log(line(row));
  for (const [implementation, reason] of Object.entries(unavailable)) console.log(`${implementation}: not measured: ${reason}`);
}
