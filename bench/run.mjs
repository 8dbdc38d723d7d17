// The one entry for every benchmark: runs each bench/*.mjs in turn (each also runs alone), shows
// its own output, and ends with one table of ours vs the reference tool (keepalived, ipvsadm, ip)
// from the rows the benches report. `npm run build:ts` first; root for the netns benches.
//   node bench/run.mjs [NAME ...]     e.g. node bench/run.mjs failover-lab config-parse
// A bench joins the combined table by writing JSON rows
//   [{ bench, what, ours, reference, unit }]
// to the file named by BENCH_SUMMARY_FILE; a bench that does not is listed with its output only.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
// Modules other benches import, not benches themselves.
const HELPERS = new Set(['run.mjs', 'gen-config.mjs']);
const wanted = process.argv.slice(2).map((name) => name.replace(/\.mjs$/, ''));
const benches = readdirSync(here)
  .filter((name) => name.endsWith('.mjs') && !HELPERS.has(name))
  .filter((name) => wanted.length === 0 || wanted.includes(name.replace(/\.mjs$/, '')))
  .sort();

const scratch = mkdtempSync(join(tmpdir(), 'kts-bench-'));
const rows = [];
const silent = [];
try {
  for (const bench of benches) {
    const summaryFile = join(scratch, `${bench}.json`);
    console.log(`\n### ${bench}`);
    const started = Date.now();
    const result = spawnSync(process.execPath, [join(here, bench)], { stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, BENCH_SUMMARY_FILE: summaryFile } });
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    if (result.status !== 0) console.log(`(${bench} exited with ${result.status ?? result.signal} after ${seconds} s)`);
    if (result.signal === 'SIGINT') break;
    if (existsSync(summaryFile)) rows.push(...JSON.parse(readFileSync(summaryFile, 'utf8')));
    else silent.push(bench);
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}

const figure = (value, unit) => (typeof value === 'number' ? `${value < 10 ? value.toFixed(3) : value.toFixed(1)} ${unit}` : '—');
const ratio = (ours, reference) => (typeof ours === 'number' && typeof reference === 'number' && reference > 0 ? `${(ours / reference).toFixed(2)}x` : '—');
const table = rows.map((row) => [row.bench, row.what, figure(row.ours, row.unit), figure(row.reference, row.unit), ratio(row.ours, row.reference)]);
const header = ['bench', 'what', 'ours', 'reference', 'ours/ref'];
const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i].length)));
const line = (cells) => cells.map((cell, i) => cell.padEnd(widths[i])).join('  ');
console.log('\n### all benchmarks: ours vs the reference (keepalived 2.2.7 / ipvsadm / ip), same run');
console.log(line(header));
for (const row of table) console.log(line(row));
if (silent.length > 0) console.log(`(no summary rows from: ${silent.join(', ')}; see their output above)`);
