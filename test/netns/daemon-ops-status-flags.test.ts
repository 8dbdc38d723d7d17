// The status endpoint chosen by command-line flags rather than the config (--status-socket,
// --status-listen on the namespace's own loopback), read with `keepalived-ts status --url`, and
// kept in step with a HUP reload (the new base priority shows, the dumps follow the new paths).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const NS = 'ktsdo-flags';
const BIN = fileURLToPath(new URL('../../bin/keepalived-ts', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'ktsdo-flags-'));
let daemon: ChildProcess | undefined;

function sh(command: string, args: readonly string[]): void {
  const result = spawnSync(command, args, { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')}: ${result.stderr}`);
}

function config(priority: number, dumpName: string): string {
  return ['global_defs {', `  state_dump_file ${join(scratch, dumpName)}`, '}',
    'vrrp_instance VI_1 {', '  state BACKUP', '  interface eth0', '  virtual_router_id 61', `  priority ${priority}`, '  advert_int 1',
    '  virtual_ipaddress {', '    10.95.0.100/24', '  }', '}', ''].join('\n');
}

/** `keepalived-ts status ARGS` run inside the namespace (its loopback is the daemon's). */
function statusCli(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  return spawnSync('ip', ['netns', 'exec', NS, process.execPath, BIN, 'status', ...args], { encoding: 'utf8' });
}

async function until(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

beforeAll(() => {
  spawnSync('ip', ['netns', 'del', NS], { stdio: 'ignore' });
  sh('ip', ['netns', 'add', NS]);
  sh('ip', ['-n', NS, 'link', 'add', 'eth0', 'type', 'veth', 'peer', 'name', 'eth1']);
  sh('ip', ['-n', NS, 'addr', 'add', '10.95.0.1/24', 'dev', 'eth0']);
  for (const link of ['eth0', 'eth1', 'lo']) sh('ip', ['-n', NS, 'link', 'set', link, 'up']);
});

afterAll(async () => {
  if (daemon !== undefined && daemon.exitCode === null) {
    const exited = new Promise((resolve) => daemon!.once('exit', resolve));
    daemon.kill('SIGTERM');
    const timer = setTimeout(() => daemon?.kill('SIGKILL'), 8000);
    await exited;
    clearTimeout(timer);
  }
  spawnSync('ip', ['netns', 'del', NS], { stdio: 'ignore' });
  rmSync(scratch, { recursive: true, force: true });
});

describe('status endpoint from flags', () => {
  it('serves on --status-socket and --status-listen, and follows a HUP reload', async () => {
    const configFile = join(scratch, 'keepalived.conf');
    writeFileSync(configFile, config(100, 'first.data'));
    const socket = join(scratch, 'status.sock');
    daemon = spawn('ip', ['netns', 'exec', NS, process.execPath, BIN, '-n', '-P', '-f', configFile, '-p', join(scratch, 'parent.pid'),
      '-r', join(scratch, 'vrrp.pid'), '--status-socket', socket, '--status-listen', '127.0.0.1:9650'], { stdio: 'ignore' });
    await until(() => /^VI_1 MASTER prio 100 /.test(statusCli('--socket', socket).stdout), 15_000, 'VI_1 MASTER on the socket');
    const overTcp = statusCli('--url', 'http://127.0.0.1:9650');
    expect(overTcp.status).toBe(0);
    expect(overTcp.stdout).toMatch(/^VI_1 MASTER prio 100 since \d\d:\d\d:\d\d \(BACKUP -> MASTER: masterDownTimerExpired/);

    writeFileSync(configFile, config(120, 'second.data'));
    const parent = Number(readFileSync(join(scratch, 'parent.pid'), 'utf8').trim());
    process.kill(parent, 'SIGHUP');
    await until(() => /^VI_1 MASTER prio 120 /.test(statusCli('--socket', socket).stdout), 15_000, 'the reloaded base priority');
    process.kill(parent, 'SIGUSR1');
    await until(() => existsSync(join(scratch, 'second.data')), 5000, 'the state dump at the reloaded path');
    expect(readFileSync(join(scratch, 'second.data'), 'utf8')).toContain('   Priority = 120\n');
    expect(existsSync(join(scratch, 'first.data'))).toBe(false);
  }, 60_000);

  it('says where it looked when no endpoint answers', () => {
    const result = statusCli('--socket', join(scratch, 'nothing.sock'));
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`cannot read ${join(scratch, 'nothing.sock')}`);
    expect(statusCli('--bogus').stderr).toContain("unknown argument '--bogus'");
  });
});
