// Applies 100 virtual services with 100 destinations each (10,000 destinations) to a real IPVS
// table three ways, in the same guest and run: our netlink client (batched requests), `ipvsadm-restore`
// of the same rules, and separate `ipvsadm` calls (100 sampled, extrapolated to all 10,100 rules).
// Also times reading the table back. Figures are medians of 3 interleaved rounds. Needs IPVS, so run it in the vm tier's guest:
//   npm run build:ts && node scripts/vm/run.mjs -- node bench/ipvs-apply.mjs
import { spawnSync } from 'node:child_process';
import { IpvsClient } from '../dist/ipvs/client.js';
import { applyRules, ruleChange } from '../dist/ipvs/restore.js';
import { parseRules } from '../dist/ipvs/text/rules.js';
import { formatSave } from '../dist/ipvs/text/save.js';

const SERVICES = 100;
const DESTINATIONS = 100;
const SAMPLED_CALLS = 100;
const ROUNDS = 3;

const lines = [];
for (let s = 0; s < SERVICES; s++) {
  lines.push(`-A -t 10.50.${s}.1:80 -s wrr`);
  for (let d = 0; d < DESTINATIONS; d++) lines.push(`-a -t 10.50.${s}.1:80 -r 10.51.${s}.${d + 1}:8080 -m -w ${1 + (d % 5)}`);
}
const rulesText = `${lines.join('\n')}\n`;
const { rules, errors } = parseRules(rulesText);
if (errors.length) throw new Error(`bench rules do not parse: ${JSON.stringify(errors[0])}`);
const changes = rules.map(({ rule }) => ruleChange(rule));

const client = await IpvsClient.open();
const ipvsadm = (args, input) => {
  const result = spawnSync('ipvsadm', args, { input, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== 0) throw new Error(`ipvsadm ${args.join(' ')}: ${result.stderr}`);
  return result.stdout;
};
const seconds = async (work) => {
  const started = process.hrtime.bigint();
  await work();
  return Number(process.hrtime.bigint() - started) / 1e9;
};
/** Every run must leave exactly the benchmark's table: the same rules, read back by ipvsadm. */
const check = (what) => {
  const saved = ipvsadm(['-Sn']);
  if (saved !== rulesText) throw new Error(`${what} did not build the expected table`);
};

const rows = [];
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

// The three bulk methods run interleaved, ROUNDS times each, so load from elsewhere on the host
// (which slows the emulated guest a lot) falls on all of them alike; the median is reported.
const bulk = [
  ['keepalived-ts IpvsClient.apply (batched netlink)', 'IpvsClient', async () => {
    const failure = await client.apply(changes);
    if (failure) throw failure.error;
  }],
  ['keepalived-ts ipvs restore path (parse + apply)', 'keepalived-ts restore', () => applyRules(client, parseRules(rulesText).rules)],
  ['ipvsadm-restore (ipvsadm -R) of the same rules', 'ipvsadm-restore', () => ipvsadm(['-R'], rulesText)],
];
const timings = bulk.map(() => []);
for (let round = 0; round < ROUNDS; round++) {
  for (const [index, [, what, work]] of bulk.entries()) {
    await client.flush();
    timings[index].push(await seconds(work));
    check(what);
  }
}
bulk.forEach(([name], index) => rows.push([name, median(timings[index]), timings[index]]));

// Separate ipvsadm processes, started by one shell (not by node) so only ipvsadm's cost counts.
await client.flush();
const sample = lines.slice(0, SAMPLED_CALLS).map((line) => `ipvsadm ${line}`).join('\n');
const callsSeconds = await seconds(() => {
  const result = spawnSync('/bin/sh', ['-e', '-c', sample], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`ipvsadm calls failed: ${result.stderr}`);
});
rows.push([`${SERVICES * (DESTINATIONS + 1)} separate ipvsadm calls (${SAMPLED_CALLS} timed, x${(SERVICES * (DESTINATIONS + 1)) / SAMPLED_CALLS})`, callsSeconds * ((SERVICES * (DESTINATIONS + 1)) / SAMPLED_CALLS)]);

// Reading the full table back.
await client.flush();
ipvsadm(['-R'], rulesText);
let dumped = '';
const dumpSeconds = await seconds(async () => {
  dumped = formatSave(await client.table());
});
if (dumped !== rulesText) throw new Error('our dump differs from the table');
const ipvsadmSaveSeconds = await seconds(() => ipvsadm(['-Sn']));
await client.flush();
client.close();

const fastest = Math.min(...rows.map(([, time]) => time));
console.log(`IPVS apply: ${SERVICES} services x ${DESTINATIONS} destinations = ${SERVICES * DESTINATIONS} destinations (${rules.length} rules), real IPVS kernel in the QEMU guest (TCG)`);
console.log(`${'method'.padEnd(62)}${'seconds'.padStart(9)}${'rules/s'.padStart(10)}${'vs best'.padStart(9)}  rounds`);
for (const [name, time, all] of rows) {
  const rounds = all ? all.map((value) => value.toFixed(2)).join(' ') : '';
  console.log(`${name.padEnd(62)}${time.toFixed(2).padStart(9)}${Math.round(rules.length / time).toString().padStart(10)}${`${(time / fastest).toFixed(1)}x`.padStart(9)}  ${rounds}`);
}
console.log(`\nread back ${SERVICES * DESTINATIONS} destinations: keepalived-ts IpvsClient.table() + save text ${dumpSeconds.toFixed(2)} s, ipvsadm -Sn ${ipvsadmSaveSeconds.toFixed(2)} s`);
