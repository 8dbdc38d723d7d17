// The one entry for every benchmark: runs each bench/*.mjs in turn (each also runs alone; IPVS
// benches inside the QEMU guest through scripts/vm/run.mjs when this kernel has none), shows
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
const root = join(here, '..');
const wanted = process.argv.slice(2).map((name) => name.replace(/\.mjs$/, ''));
const files = readdirSync(here).filter((name) => name.endsWith('.mjs') && name !== 'run.mjs');
const sources = new Map(files.map((name) => [name, readFileSync(join(here, name), 'utf8')]));
// A file another bench imports or starts (gen-config.mjs, a worker) is a helper, not a bench: it
// appears there as a quoted path ('./gen-config.mjs', join(here, 'x-worker.mjs')), not in a comment.
const isHelper = (name) => {
  const quoted = new RegExp(`['"\`](?:\\./)?${name.replaceAll('.', '\\.')}['"\`]`);
  return files.some((other) => other !== name && quoted.test(sources.get(other)));
};
const benches = files
  .filter((name) => !isHelper(name))
  .filter((name) => wanted.length === 0 || wanted.includes(name.replace(/\.mjs$/, '')))
  .sort();

/**
 * How to start a bench. A bench whose header shows how to run it in the IPVS guest
 * (`node scripts/vm/run.mjs -- node bench/NAME.mjs ARGS`) runs that way when this kernel has no IPVS.
 */
function commandFor(bench) {
  const inGuest = new RegExp(`node scripts/vm/run\\.mjs -- node (bench/${bench.replaceAll('.', '\\.')})((?: [\\w.=-]+)*)`).exec(sources.get(bench));
  if (!inGuest || existsSync('/proc/net/ip_vs')) return [join(here, bench)];
  const vm = join(root, 'scripts', 'vm', 'run.mjs');
  return existsSync(vm) ? [vm, '--', process.execPath, inGuest[1], ...inGuest[2].split(' ').filter(Boolean)] : undefined;
}

/**
 * Rows read from the printed tables of benches that do not write BENCH_SUMMARY_FILE. A reader
 * that no longer matches yields nothing, and the bench is listed as giving no rows.
 */
const TABLE_READERS = {
  'check-scale.mjs': (out) => {
    const pair = (label) => /^(\S.*?)\s+([\d.]+)\s+([\d.]+|n\/a)$/m.exec(out.split('\n').find((line) => line.startsWith(label)) ?? '');
    return [['checker CPU (% of one core)', '%'], ['checker RSS (MiB)', 'MiB']].flatMap(([label, unit]) => {
      const match = pair(label);
      return match ? [{ bench: 'check-scale', what: label.replace(/ \(.*\)$/, ''), ours: Number(match[2]), reference: match[3] === 'n/a' ? undefined : Number(match[3]), unit }] : [];
    });
  },
  'vrrp-failover.mjs': (out) => {
    const failovers = [...out.matchAll(/^\| ([^|]+?) \| ([^|]+?) \| ([\d.]+) s \(n=\d+\) \| ([\d.]+) s \(n=\d+\) \|/gm)].map((m) => ({
      bench: 'vrrp-failover', what: `${m[1]} ${m[2]}: VIP on the backup`, ours: Number(m[3]), reference: Number(m[4]), unit: 's',
    }));
    // Each idle table follows its heading: | ours | CPU % | per window | per process | RSS MB (n processes) |
    const idleTable = (heading) => {
      const at = out.indexOf(heading);
      const table = at < 0 ? '' : out.slice(at).split('\n\n')[0];
      return Object.fromEntries([...table.matchAll(/^\| (ours|keepalived) \| ([\d.]+) % \|.*\| ([\d.]+) MB \(/gm)].map((m) => [m[1], { cpu: Number(m[2]), rss: Number(m[3]) }]));
    };
    const idleRows = [['Idle, 50 master instances', 'master'], ['Idle, 50 backup instances', 'backup']].flatMap(([heading, role]) => {
      const idle = idleTable(heading);
      return idle.ours && idle.keepalived
        ? [
            { bench: 'vrrp-failover', what: `idle CPU, 50 ${role} instances`, ours: idle.ours.cpu, reference: idle.keepalived.cpu, unit: '%' },
            { bench: 'vrrp-failover', what: `RSS, 50 ${role} instances (all processes)`, ours: idle.ours.rss, reference: idle.keepalived.rss, unit: 'MB' },
          ]
        : [];
    });
    return [...failovers, ...idleRows];
  },
  'vrrp-tracker-scripts.mjs': (out) => {
    const spacing = (label) => new RegExp(`^${label}\\s+\\d+\\s+([\\d.]+)\\s+([\\d.]+)`, 'm').exec(out);
    const ours = spacing('keepalived-ts');
    const theirs = spacing('keepalived 2\\.2\\.7');
    const scan = /ours, names only\s+([\d.]+)\s+pgrep -x \(incl\. its start\)\s+([\d.]+)/.exec(out);
    return [
      ...(ours && theirs ? [{ bench: 'vrrp-tracker-scripts', what: 'vrrp_script start spacing p99 (interval 1 s)', ours: Number(ours[2]), reference: Number(theirs[2]), unit: 'ms' }] : []),
      ...(scan ? [{ bench: 'vrrp-tracker-scripts', what: 'track_process scan vs pgrep -x', ours: Number(scan[1]), reference: Number(scan[2]), unit: 'ms' }] : []),
    ];
  },
  'ipvs-apply.mjs': (out) => {
    const seconds = (label) => Number(new RegExp(`^${label.replace(/[().+]/g, '\\$&')}\\s+([\\d.]+)`, 'm').exec(out)?.[1] ?? NaN);
    const restore = seconds('ipvsadm-restore (ipvsadm -R) of the same rules');
    const readBack = /read back (\d+) destinations: .* ([\d.]+) s, ipvsadm -Sn ([\d.]+) s/.exec(out);
    const rows = [
      { bench: 'ipvs-apply', what: 'apply 10,000 destinations: IpvsClient.apply vs ipvsadm -R', ours: seconds('keepalived-ts IpvsClient.apply (batched netlink)'), reference: restore, unit: 's' },
      { bench: 'ipvs-apply', what: 'apply 10,000 destinations: parse + apply vs ipvsadm -R', ours: seconds('keepalived-ts ipvs restore path (parse + apply)'), reference: restore, unit: 's' },
      ...(readBack ? [{ bench: 'ipvs-apply', what: `read back ${readBack[1]} destinations vs ipvsadm -Sn`, ours: Number(readBack[2]), reference: Number(readBack[3]), unit: 's' }] : []),
    ];
    return rows.filter((row) => Number.isFinite(row.ours) && Number.isFinite(row.reference));
  },
  'netlink-addr.mjs': (out) =>
    [...out.matchAll(/^(add|dump|delete) (\d+)\s+([\d.]+) ms\s+([\d.]+) ms\s+([\d.]+) ms/gm)].map((m) => ({
      bench: 'netlink-addr', what: `${m[1]} ${m[2]} addresses (ours pipelined vs ip -batch)`, ours: Number(m[3]), reference: Number(m[5]), unit: 'ms',
    })),
};

const scratch = mkdtempSync(join(tmpdir(), 'kts-bench-'));
const rows = [];
const silent = [];
try {
  for (const bench of benches) {
    const summaryFile = join(scratch, `${bench}.json`);
    console.log(`\n### ${bench}`);
    const args = commandFor(bench);
    if (!args) {
      console.log('(needs IPVS: this kernel has none and scripts/vm/run.mjs is missing)');
      continue;
    }
    const started = Date.now();
    const result = spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8', maxBuffer: 64 << 20, stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, BENCH_SUMMARY_FILE: summaryFile } });
    process.stdout.write(result.stdout ?? '');
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    if (result.status !== 0) console.log(`(${bench} exited with ${result.status ?? result.signal} after ${seconds} s)`);
    if (result.signal === 'SIGINT') break;
    const reported = existsSync(summaryFile) ? JSON.parse(readFileSync(summaryFile, 'utf8')) : (TABLE_READERS[bench]?.(result.stdout ?? '') ?? []);
    if (reported.length > 0) rows.push(...reported);
    else silent.push(bench);
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}

const figure = (value, unit) => (typeof value === 'number' ? `${value.toFixed(unit === 's' || unit === '%' ? 3 : 1)} ${unit}` : '—');
const ratio = (ours, reference) => (typeof ours === 'number' && typeof reference === 'number' && reference > 0 ? `${(ours / reference).toFixed(2)}x` : '—');
const table = rows.map((row) => [row.bench, row.what, figure(row.ours, row.unit), figure(row.reference, row.unit), ratio(row.ours, row.reference)]);
const header = ['bench', 'what', 'ours', 'reference', 'ours/ref'];
const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i].length)));
const line = (cells) => cells.map((cell, i) => cell.padEnd(widths[i])).join('  ');
console.log('\n### all benchmarks: ours vs the reference (keepalived 2.2.7 / ipvsadm / ip), same run');
console.log(line(header));
for (const row of table) console.log(line(row));
if (silent.length > 0) console.log(`(no summary rows from: ${silent.join(', ')}; see their output above)`);
