// The one-file bundles (scripts/build-bundle.mjs): the CLI bundle that bin/keepalived-ts runs must
// give `-t` exactly as the unbundled CLI does, hold the daemon's parent but leave the other commands
// (ipvs, lab, ...) as separate imports; the child bundles must load the native addon from
// native/build at run time, not embed it. The one-shot bundle that bin/keepalived-ts runs for -t
// (src/cli/one-shot-bundle.ts) must give the same -t, with a code cache V8 accepts on the next run,
// also from the CommonJS build of that loader, and the cache the build made must be the one a -t
// started as operators start it (bin/keepalived-ts's sh line, with its V8 flags) accepts.
// Needs dist/ (npm run build:ts).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { codeCacheFileOf } from '../../src/cli/one-shot-bundle.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'ktscb-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const built = spawnSync(process.execPath, [join(ROOT, 'scripts', 'build-bundle.mjs'), scratch], { encoding: 'utf8' });
const bundle = join(scratch, 'cli', 'main.bundle.js');
const oneShotBundle = join(scratch, 'cli', 'one-shot.bundle.cjs');
const oneShotCache = join(scratch, 'cli', 'one-shot.bundle.cache');
const childBundles = [join(scratch, 'daemon', 'vrrp-process.bundle.js'), join(scratch, 'daemon', 'check-process-main.bundle.js')];

/** Runs `main(args)` of the given CLI module in a fresh process: exit code and output. */
function runCli(module: string, args: string[]) {
  const script = `import(${JSON.stringify(module)}).then(async ({ main }) => { process.exitCode = await main(${JSON.stringify(args)}); })`;
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** Runs the one-shot bundle through its loader (as bin/keepalived-ts does for -t) in a fresh process. */
function runOneShot(args: string[], bundleFile = oneShotBundle) {
  const loader = join(ROOT, 'dist', 'cli', 'one-shot-bundle.js');
  const script = `import(${JSON.stringify(loader)}).then(async ({ runOneShot }) => { process.exitCode = await runOneShot(${JSON.stringify(bundleFile)}, ${JSON.stringify(args)}); })`;
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

const REPORTED_CONFIG = 'global_defs {\n  router_id b\n  include_check\n}\nvrrp_instance VI_1 {\n  state MASTR\n  interface lo\n}\ninclude missing.conf\n';

describe('bundles', () => {
  it('builds the CLI and both children', () => {
    expect(built.status, built.stderr).toBe(0);
    for (const file of [bundle, ...childBundles]) expect(existsSync(file), file).toBe(true);
  });

  it('reports a config exactly as the unbundled CLI does', () => {
    const config = join(scratch, 'keepalived.conf');
    writeFileSync(config, REPORTED_CONFIG);
    const ours = runCli(bundle, ['-t', '-f', config]);
    const unbundled = runCli(join(ROOT, 'dist', 'cli', 'main.js'), ['-t', '-f', config]);
    expect(ours.stderr).toContain('[KTS_INCLUDE_CHECK_FAILED]');
    expect(ours).toEqual(unbundled);
  });

  it('holds the daemon and keeps the other commands out of the CLI bundle', () => {
    const text = readFileSync(bundle, 'utf8');
    for (const command of ['ipvs', 'lab', 'convert', 'status', 'genhash', 'signum']) {
      expect(text).toContain(`import("./${command}.js")`);
    }
    expect(text).not.toContain('import("./daemon.js")');
  });

  it('leaves the native addon to be found at run time', () => {
    // The VRRP child's bundle is split (its shared modules may sit in daemon/chunks/).
    const chunkDir = join(scratch, 'daemon', 'chunks');
    const chunks = readdirSync(chunkDir).map((name) => readFileSync(join(chunkDir, name), 'utf8')).join('\n');
    for (const file of childBundles) {
      const text = readFileSync(file, 'utf8') + (file.endsWith('vrrp-process.bundle.js') ? chunks : '');
      expect(text).toContain('"keepalived_ts_native.node"');
      expect(text).not.toMatch(/require\("[^"]*\.node"\)/);
    }
  });

  it('splits the VRRP child: the config parser and the status endpoint load only when imported', () => {
    const entry = readFileSync(childBundles[0]!, 'utf8');
    expect(entry).toMatch(/import\("\.\/chunks\/config-loading-[A-Z0-9]+\.js"\)/);
    expect(entry).toMatch(/import\("\.\/chunks\/status-service-[A-Z0-9]+\.js"\)/);
    expect(entry).not.toContain('prom-client');
    expect(entry).not.toContain('node:http');
  });

  it('runs -t from the one-shot bundle exactly as the unbundled CLI, and reuses the code cache it wrote', () => {
    const config = join(scratch, 'one-shot.conf');
    writeFileSync(config, REPORTED_CONFIG);
    expect(existsSync(oneShotCache)).toBe(false);
    const first = runOneShot(['-t', '-f', config]);
    expect(first).toEqual(runCli(join(ROOT, 'dist', 'cli', 'main.js'), ['-t', '-f', config]));
    expect(first.stderr).toContain('[KTS_INCLUDE_CHECK_FAILED]');
    // Written only when missing or rejected by V8: an unchanged file means the second run used it.
    const written = statSync(oneShotCache).mtimeMs;
    expect(runOneShot(['-t', '-f', config])).toEqual(first);
    expect(statSync(oneShotCache).mtimeMs).toBe(written);
  });

  it('imports the commands outside the one-shot bundle, also when compiled from its code cache', () => {
    expect(readFileSync(oneShotBundle, 'utf8')).not.toMatch(/\bimport\(/);
    // The build's own bundle in dist/, with the cache the build made: the commands sit beside it.
    const built = join(ROOT, 'dist', 'cli', 'one-shot.bundle.cjs');
    expect(existsSync(built.replace(/\.cjs$/, '.young16.cache'))).toBe(true);
    const run = runOneShot(['ipvs', 'no-such-action'], built);
    expect(run.stderr).toContain("keepalived-ts ipvs: unknown action 'no-such-action'");
  });

  it('runs -t and the commands outside the bundle from the CommonJS loader as from the ES module one', () => {
    const config = join(scratch, 'launcher.conf');
    writeFileSync(config, REPORTED_CONFIG);
    const launcher = join(scratch, 'cli', 'one-shot-launch.cjs');
    const viaLauncher = (args: string[], bundleFile: string) => {
      const script = `require(${JSON.stringify(launcher)}).runOneShot(${JSON.stringify(bundleFile)}, ${JSON.stringify(args)}).then((code) => { process.exitCode = code; })`;
      const run = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
      return { status: run.status, stdout: run.stdout, stderr: run.stderr };
    };
    const ours = viaLauncher(['-t', '-f', config], oneShotBundle);
    expect(ours.stderr).toContain('[KTS_INCLUDE_CHECK_FAILED]');
    expect(ours).toEqual(runOneShot(['-t', '-f', config]));
    const outside = viaLauncher(['ipvs', 'no-such-action'], join(ROOT, 'dist', 'cli', 'one-shot.bundle.cjs'));
    expect(outside.stderr).toContain("keepalived-ts ipvs: unknown action 'no-such-action'");
  });

  it('writes all of a -t report larger than a pipe holds, to a reader that is slow to read it', () => {
    // bin/keepalived-ts ends a -t at once (process.exit) only when nothing waits to be written.
    const config = join(scratch, 'many-diagnostics.conf');
    writeFileSync(config, `vrrp_instance X {\n${Array.from({ length: 5000 }, (_, i) => `  not_a_keyword_${i} 1\n`).join('')}}\n`);
    const bin = join(ROOT, 'bin', 'keepalived-ts');
    const toFile = join(scratch, 'many-diagnostics.json');
    spawnSync('/bin/sh', ['-c', `'${bin}' -t --json -f '${config}' > '${toFile}'`]);
    const whole = readFileSync(toFile, 'utf8');
    expect(whole.length).toBeGreaterThan(256 * 1024);
    expect((JSON.parse(whole) as { diagnostics: unknown[] }).diagnostics.length).toBeGreaterThan(5000);
    const slow = spawnSync('/bin/sh', ['-c', `'${bin}' -t --json -f '${config}' | (sleep 0.5; wc -c)`], { encoding: 'utf8' });
    expect(Number(slow.stdout.trim())).toBe(Buffer.byteLength(whole));
    const slowStderr = spawnSync('/bin/sh', ['-c', `'${bin}' -t -f '${config}' 2>&1 >/dev/null | (sleep 0.5; wc -l)`], { encoding: 'utf8' });
    expect(Number(slowStderr.stdout.trim())).toBeGreaterThan(5000);
  });

  it("keeps the build's code cache when -t starts as operators start it, and a cache per young generation size", () => {
    const cache = join(ROOT, 'dist', 'cli', 'one-shot.bundle.young16.cache');
    const config = join(scratch, 'through-sh.conf');
    writeFileSync(config, 'global_defs {\n  router_id b\n}\n');
    const before = statSync(cache).mtimeMs;
    const run = spawnSync('/bin/sh', [join(ROOT, 'bin', 'keepalived-ts'), '-t', '-f', config], { encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    // Rewritten only when V8 rejects it (made under other flags): the build made it for this start.
    expect(statSync(cache).mtimeMs).toBe(before);
    expect(codeCacheFileOf('/x/one-shot.bundle.cjs', [])).toBe('/x/one-shot.bundle.cache');
    expect(codeCacheFileOf('/x/one-shot.bundle.cjs', ['--min-semi-space-size=16'])).toBe('/x/one-shot.bundle.young16.cache');
    expect(codeCacheFileOf('/x/one-shot.bundle.cjs', ['--min-semi-space-size=8', '--min-semi-space-size=32'])).toBe('/x/one-shot.bundle.young32.cache');
  });
});
