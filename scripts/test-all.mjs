// Runs the test tiers (unit, netns, interop, vm; see ../shared/DESIGN.md) and prints one closing
// line "N passed, N failed, N skipped". A tier whose prerequisites are missing is skipped loudly
// on a developer machine and FAILS when CI=true; with CI=true a skipped test also fails the run.
//   node scripts/test-all.mjs            every tier
//   node scripts/test-all.mjs netns vm   just those
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const inCI = process.env.CI === 'true' || process.env.CI === '1';
const ALL = ['unit', 'netns', 'interop', 'vm'];
const wanted = process.argv.slice(2).length ? process.argv.slice(2) : ALL;

const has = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
const isRoot = process.getuid?.() === 0;

/** Why a tier cannot run here, or null when it can. */
function missingPrerequisite(tier) {
  if (tier === 'unit') return null;
  if (!isRoot) return 'needs root (network namespaces, raw sockets)';
  if (!has('ip')) return 'needs iproute2 (ip)';
  if (tier === 'netns') return has('tcpdump') ? null : 'needs tcpdump';
  if (tier === 'interop') return has('keepalived') ? null : "needs Debian's keepalived (apt-get install keepalived)";
  if (tier === 'vm') {
    if (!has('qemu-system-x86_64')) return 'needs qemu-system-x86 (apt-get install qemu-system-x86)';
    if (!existsSync(join(root, 'scripts', 'vm', 'run.mjs'))) return 'needs scripts/vm/run.mjs';
    return null;
  }
  return `unknown tier ${tier}`;
}

function tierFiles(tier) {
  const dir = join(root, 'test', tier);
  const found = [];
  const walk = (d) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      if (entry.isDirectory()) walk(join(d, entry.name));
      else if (entry.name.endsWith('.test.ts')) found.push(join(d, entry.name));
    }
  };
  if (existsSync(dir)) walk(dir);
  return found;
}

/** The first lines of a failure, ANSI colours removed, indented under the test's name. */
function firstLines(message, count = 4) {
  return String(message).replace(/\x1b\[[0-9;]*m/g, '').split('\n').filter((l) => l.trim() && !l.includes('node_modules')).slice(0, count)
    .map((l) => `      ${l.trim().slice(0, 300)}`).join('\n');
}

/** Records the tier's failed tests and the ones that passed only after a retry (vitest keeps the
 *  earlier attempts' errors in failureMessages of a passed test). */
function collectOutcomes(tier, json) {
  for (const file of json.testResults ?? []) {
    const where = file.name.startsWith(root) ? file.name.slice(root.length + 1) : file.name;
    if (file.status === 'failed' && (file.assertionResults ?? []).every((t) => t.status !== 'failed')) {
      failedTests.push(`  [${tier}] ${where}: ${file.message || 'file failed outside its tests'}`);
    }
    for (const test of file.assertionResults ?? []) {
      const errors = test.failureMessages ?? [];
      if (test.status === 'failed') failedTests.push(`  [${tier}] ${where} > ${test.fullName}\n${firstLines(errors.at(-1) ?? '')}`);
      else if (test.status === 'passed' && errors.length) flakyTests.push(`  [${tier}] ${where} > ${test.fullName}\n${firstLines(errors[0])}`);
    }
  }
}

const vitest = join(root, 'node_modules', 'vitest', 'vitest.mjs');
// Tests spawn bin/keepalived-ts and helper processes that load dist/: compile it fresh first.
{
  const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  const built = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.json')], { cwd: root, stdio: 'inherit' });
  // bin/keepalived-ts runs the one-file CLI bundle when it is newer than dist/: rebuild it too.
  const bundled = built.status === 0 && spawnSync(process.execPath, [join(root, 'scripts', 'build-bundle.mjs')], { cwd: root, stdio: 'inherit' });
  if (built.status !== 0 || bundled.status !== 0) {
    console.error('FAIL: TypeScript build failed');
    console.log('\n0 passed, 1 failed, 0 skipped');
    process.exit(1);
  }
}
const totals = { passed: 0, failed: 0, skipped: 0 };
const problems = [];
/** Failed and retried-then-passed tests, printed again at the very end: CI shows only the tail. */
const failedTests = [];
const flakyTests = [];
const scratch = mkdtempSync(join(tmpdir(), 'kts-tests-'));

for (const tier of wanted) {
  if (!ALL.includes(tier)) {
    problems.push(`unknown tier '${tier}'`);
    continue;
  }
  const missing = missingPrerequisite(tier);
  if (missing) {
    const line = `tier ${tier}: CANNOT RUN: ${missing}`;
    console.error(`\n!!! ${line}${inCI ? ' (CI: this fails the run)' : ' (skipped on this machine)'}\n`);
    if (inCI) problems.push(line);
    continue;
  }
  if (tierFiles(tier).length === 0) {
    console.log(`\n--- tier ${tier}: no test files yet`);
    continue;
  }
  console.log(`\n=== tier ${tier}`);
  const report = join(scratch, `${tier}.json`);
  const vitestArgs = [vitest, 'run', '--project', tier, '--reporter=default', '--reporter=json', `--outputFile.json=${report}`];
  const command = tier === 'vm'
    ? [process.execPath, join(root, 'scripts', 'vm', 'run.mjs'), '--', process.execPath, ...vitestArgs]
    : [process.execPath, ...vitestArgs];
  const started = Date.now();
  const result = spawnSync(command[0], command.slice(1), { cwd: root, stdio: 'inherit', env: process.env });
  let counts = null;
  try {
    const json = JSON.parse(readFileSync(report, 'utf8'));
    collectOutcomes(tier, json);
    counts = {
      passed: json.numPassedTests ?? 0,
      failed: json.numFailedTests ?? 0,
      skipped: (json.numPendingTests ?? 0) + (json.numTodoTests ?? 0),
    };
  } catch {
    // no report: the runner itself failed (or the VM did not boot)
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (!counts) {
    problems.push(`tier ${tier}: no test report (exit ${result.status ?? result.signal})`);
    console.log(`--- tier ${tier}: no report after ${seconds}s (exit ${result.status ?? result.signal})`);
    continue;
  }
  totals.passed += counts.passed;
  totals.failed += counts.failed;
  totals.skipped += counts.skipped;
  console.log(`--- tier ${tier}: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped in ${seconds}s`);
  if (result.status !== 0) problems.push(`tier ${tier}: exit ${result.status ?? result.signal}`);
  if (inCI && counts.skipped > 0) problems.push(`tier ${tier}: ${counts.skipped} tests skipped (not allowed with CI=true)`);
}
rmSync(scratch, { recursive: true, force: true });

if (flakyTests.length) {
  console.error(`\nFLAKY: ${flakyTests.length} test(s) failed, then passed on retry:`);
  for (const line of flakyTests) console.error(line);
}
if (failedTests.length) {
  console.error(`\nFAILED: ${failedTests.length} test(s):`);
  for (const line of failedTests) console.error(line);
}
for (const problem of problems) console.error(`FAIL: ${problem}`);
console.log(`\n${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(problems.length > 0 || totals.failed > 0 ? 1 : 0);
