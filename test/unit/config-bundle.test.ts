// The one-file bundles (scripts/build-bundle.mjs): the CLI bundle that bin/keepalived-ts runs must
// give `-t` exactly as the unbundled CLI does, hold the daemon's parent but leave the other commands
// (ipvs, lab, ...) as separate imports; the child bundles must load the native addon from
// native/build at run time, not embed it. Needs dist/ (npm run build:ts).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'ktscb-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const built = spawnSync(process.execPath, [join(ROOT, 'scripts', 'build-bundle.mjs'), scratch], { encoding: 'utf8' });
const bundle = join(scratch, 'cli', 'main.bundle.js');
const childBundles = [join(scratch, 'daemon', 'vrrp-process.bundle.js'), join(scratch, 'daemon', 'check-process-main.bundle.js')];

/** Runs `main(args)` of the given CLI module in a fresh process: exit code and output. */
function runCli(module: string, args: string[]) {
  const script = `import(${JSON.stringify(module)}).then(async ({ main }) => { process.exitCode = await main(${JSON.stringify(args)}); })`;
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe('bundles', () => {
  it('builds the CLI and both children', () => {
    expect(built.status, built.stderr).toBe(0);
    for (const file of [bundle, ...childBundles]) expect(existsSync(file), file).toBe(true);
  });

  it('reports a config exactly as the unbundled CLI does', () => {
    const config = join(scratch, 'keepalived.conf');
    writeFileSync(config, 'global_defs {\n  router_id b\n  include_check\n}\nvrrp_instance VI_1 {\n  state MASTR\n  interface lo\n}\ninclude missing.conf\n');
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
});
