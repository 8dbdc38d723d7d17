// Benchmark: 1,000 IPv4 address adds, a dump of them, and 1,000 deletes, through our rtnetlink
// client and through `ip -batch`, in the same run, in a fresh namespace (root needed).
//   npm run build:ts && node bench/netlink-addr.mjs
// The test interface is one end of a veth pair: this host kernel has no dummy module.
// ip's figures include starting the ip process (the "ip startup" row shows how much that is).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { enterNetworkNamespace } from '../dist/sys/index.js';
import { addAddress, deleteAddress, getLink, listAddresses, openRouteSocket } from '../dist/netlink/index.js';

const COUNT = 1000;
const ROUNDS = 5;
const namespace = `ktsnl-bench-${process.pid}`;
const scratch = mkdtempSync(join(tmpdir(), 'ktsnl-bench-'));

function sh(command, args) {
  const result = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')}: ${result.stderr}`);
  return result.stdout;
}

/** /32s, so that every address is primary and a delete never takes others with it. */
const address = (i, base) => `10.${base}.${i >> 8}.${i & 0xff}`;

function timeIt(fn) {
  const started = process.hrtime.bigint();
  const value = fn();
  return value instanceof Promise
    ? value.then((result) => ({ ms: Number(process.hrtime.bigint() - started) / 1e6, result }))
    : { ms: Number(process.hrtime.bigint() - started) / 1e6, result: value };
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function ours(socket, index, base, pipelined) {
  const specs = Array.from({ length: COUNT }, (_, i) => ({ link: index, address: `${address(i, base)}/32` }));
  const run = (operation) =>
    pipelined ? Promise.all(specs.map((spec) => operation(socket, spec))) : specs.reduce((chain, spec) => chain.then(() => operation(socket, spec)), Promise.resolve());
  const add = await timeIt(() => run(addAddress));
  const dump = await timeIt(() => listAddresses(socket, { family: 'inet', index }));
  if (dump.result.length !== COUNT) throw new Error(`dump found ${dump.result.length} addresses`);
  const del = await timeIt(() => run(deleteAddress));
  return { add: add.ms, dump: dump.ms, del: del.ms };
}

function iproute(base) {
  const addFile = join(scratch, 'add.batch');
  const delFile = join(scratch, 'del.batch');
  writeFileSync(addFile, Array.from({ length: COUNT }, (_, i) => `addr add ${address(i, base)}/32 dev b0`).join('\n') + '\n');
  writeFileSync(delFile, Array.from({ length: COUNT }, (_, i) => `addr del ${address(i, base)}/32 dev b0`).join('\n') + '\n');
  const add = timeIt(() => sh('ip', ['-n', namespace, '-batch', addFile]));
  const dump = timeIt(() => sh('ip', ['-n', namespace, '-o', '-4', 'addr', 'show', 'dev', 'b0']));
  const lines = dump.result.trim().split('\n').length;
  if (lines !== COUNT) throw new Error(`ip showed ${lines} addresses`);
  const del = timeIt(() => sh('ip', ['-n', namespace, '-batch', delFile]));
  return { add: add.ms, dump: dump.ms, del: del.ms };
}

try {
  sh('ip', ['netns', 'add', namespace]);
  sh('ip', ['-n', namespace, 'link', 'add', 'b0', 'type', 'veth', 'peer', 'name', 'b0p']);
  sh('ip', ['-n', namespace, 'link', 'set', 'b0', 'up']);
  enterNetworkNamespace(namespace);
  const socket = openRouteSocket();
  const { index } = await getLink(socket, 'b0');

  // One uncounted round first, so that neither side is timed while cold (JIT, page cache, kernel slabs).
  await ours(socket, index, 100, true);
  iproute(102);
  const results = { pipelined: [], sequential: [], ip: [], startup: [] };
  for (let round = 0; round < ROUNDS; round++) {
    results.pipelined.push(await ours(socket, index, 100, true));
    results.sequential.push(await ours(socket, index, 101, false));
    results.ip.push(iproute(102));
    results.startup.push(timeIt(() => sh('ip', ['-n', namespace, '-batch', '/dev/null'])).ms);
  }
  socket.close();

  const cell = (rows, key) => `${median(rows.map((row) => row[key])).toFixed(1)} ms`.padStart(12);
  console.log(`netlink-addr: ${COUNT} IPv4 /32 addresses on a veth in a fresh namespace, median of ${ROUNDS} rounds after a warm-up`);
  console.log(`${'operation'.padEnd(22)}${'ours, pipelined'.padStart(17)}${'ours, one by one'.padStart(18)}${'ip -batch'.padStart(13)}`);
  for (const [label, key] of [[`add ${COUNT}`, 'add'], [`dump ${COUNT}`, 'dump'], [`delete ${COUNT}`, 'del']]) {
    console.log(`${label.padEnd(22)}${cell(results.pipelined, key).padStart(17)}${cell(results.sequential, key).padStart(18)}${cell(results.ip, key).padStart(13)}`);
  }
  console.log(`${'ip startup (no-op)'.padEnd(22)}${''.padStart(35)}${`${median(results.startup).toFixed(1)} ms`.padStart(13)}`);
  console.log('(ip dump = `ip -o -4 addr show dev b0`, process start and text formatting included)');
} finally {
  spawnSync('ip', ['netns', 'delete', namespace]);
  rmSync(scratch, { recursive: true, force: true });
}
