// The one-file CLI bundle that bin/keepalived-ts runs (scripts/build-bundle.mjs): it must give
// `-t` exactly as the unbundled CLI does, and leave the other modes (daemon, ipvs, ...) as
// separate imports so the native addon and its paths stay as they are. Needs dist/ (npm run build:ts).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'ktscb-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const bundle = join(scratch, 'main.bundle.js');
const built = spawnSync(process.execPath, [join(ROOT, 'scripts', 'build-bundle.mjs'), bundle], { encoding: 'utf8' });

/** Runs `main(args)` of the given CLI module in a fresh process: exit code and output. */
function runCli(module: string, args: string[]) {
  const script = `import(${JSON.stringify(module)}).then(async ({ main }) => { process.exitCode = await main(${JSON.stringify(args)}); })`;
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe('CLI bundle', () => {
  it('builds', () => {
    expect(built.status, built.stderr).toBe(0);
  });

  it('reports a config exactly as the unbundled CLI does', () => {
    const config = join(scratch, 'keepalived.conf');
    writeFileSync(config, 'global_defs {\n  router_id b\n  include_check\n}\nvrrp_instance VI_1 {\n  state MASTR\n  interface lo\n}\ninclude missing.conf\n');
    const ours = runCli(bundle, ['-t', '-f', config]);
    const unbundled = runCli(join(ROOT, 'dist', 'cli', 'main.js'), ['-t', '-f', config]);
    expect(ours.stderr).toContain('[KTS_INCLUDE_CHECK_FAILED]');
    expect(ours).toEqual(unbundled);
  });

  it('keeps the daemon and the other commands out of the bundle', () => {
    const text = readFileSync(bundle, 'utf8');
    for (const command of ['daemon', 'ipvs', 'lab', 'convert', 'status', 'genhash', 'signum']) {
      expect(text).toContain(`import("./${command}.js")`);
    }
    expect(text).not.toContain('keepalived_ts_native.node');
  });
});
