// lvs_sync_daemon and ha_suspend on the guest's real IPVS.
// Sync daemon: our daemon (`keepalived-ts -n -P`) and Debian's keepalived 2.2.7 each run the same
// config in their own namespace (each has its own IPVS and sync daemons); `ipvsadm -L --daemon`
// must read the same in both at start (backup), once the instance is MASTER (master), when a
// tracked link goes down (FAULT: backup) and after SIGTERM.
// ha_suspend: our checker holds the checks of a virtual server whose address is not on the host
// and programs nothing for it; the address appearing or going (rtnetlink events) resumes or
// suspends both.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const DAEMON = join(process.cwd(), 'bin/keepalived-ts');
const CHECK_MAIN = join(process.cwd(), 'dist/daemon/check-process-main.js');
const namespaces: string[] = [];
const children: ChildProcess[] = [];
let work: string;

function sh(script: string): string {
  return execFileSync('/bin/sh', ['-ec', script], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

function namespace(name: string): string {
  sh(`ip netns del ${name} 2>/dev/null || true; ip netns add ${name}; ip -n ${name} link set lo up`);
  namespaces.push(name);
  return name;
}

beforeAll(() => {
  if (!existsSync(CHECK_MAIN)) throw new Error(`${CHECK_MAIN} is missing: run npm run build:ts on the host first`);
  work = mkdtempSync(join(tmpdir(), 'klf-features-'));
});

afterAll(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await new Promise((r) => setTimeout(r, 200));
  for (const ns of namespaces) sh(`ip netns del ${ns} 2>/dev/null || true`);
  rmSync(work, { recursive: true, force: true });
});

interface Running {
  readonly child: ChildProcess;
  readonly log: () => string;
}

function run(ns: string, argv: readonly string[]): Running {
  const child = spawn('ip', ['netns', 'exec', ns, ...argv], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let log = '';
  child.stdout!.setEncoding('utf8').on('data', (text: string) => (log += text));
  child.stderr!.setEncoding('utf8').on('data', (text: string) => (log += text));
  return { child, log: () => log };
}

async function stop(running: Running): Promise<void> {
  if (running.child.exitCode !== null || running.child.signalCode !== null) return;
  const exited = once(running.child, 'exit');
  running.child.kill('SIGTERM');
  const timer = setTimeout(() => running.child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

async function until<T>(what: string, read: () => T, done: (value: T) => boolean, timeoutMs: number, context = () => ''): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(value)}\n${context().slice(-3000)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('lvs_sync_daemon follows the VRRP instance like keepalived 2.2.7', () => {
  const daemons = (ns: string) => sh(`ip netns exec ${ns} ipvsadm -L --daemon`);

  function director(name: string): { ns: string; conf: string } {
    const ns = namespace(name);
    sh(`ip -n ${ns} link add eth0 type veth peer name eth1
ip -n ${ns} link add trk0 type veth peer name trk1
for l in eth0 eth1 trk0 trk1; do ip -n ${ns} link set $l up; done
ip -n ${ns} addr add 10.80.0.1/24 dev eth0`);
    const conf = join(work, `${name}.conf`);
    writeFileSync(conf, `global_defs {
  lvs_sync_daemon eth1 VI_1 maxlen 1400
}
vrrp_instance VI_1 {
  state BACKUP
  interface eth0
  virtual_router_id 51
  priority 100
  advert_int 3
  track_interface {
    trk0
  }
  virtual_ipaddress {
    10.80.0.100/24
  }
}
`);
    return { ns, conf };
  }

  it('backup at start, master as MASTER, backup in FAULT, none after stop', { timeout: 400_000 }, async () => {
    const oursAt = director('klf-sd-o');
    const theirsAt = director('klf-sd-k');
    const pids = (tag: string) => ['-p', join(work, `${tag}.pid`), '-r', join(work, `${tag}-vrrp.pid`), '-c', join(work, `${tag}-check.pid`)];
    const ours = run(oursAt.ns, [process.execPath, DAEMON, '-n', '-P', '-l', '-f', oursAt.conf, ...pids('o')]);
    const theirs = run(theirsAt.ns, ['keepalived', '-n', '-P', '-l', '--no-syslog', '-f', theirsAt.conf, ...pids('k')]);
    const logs = () => `-- ours\n${ours.log()}\n-- keepalived\n${theirs.log()}`;
    try {
      // Both watched at once: the backup stage lasts only until the instance becomes MASTER.
      const stage = async (what: string, expected: RegExp, timeoutMs = 30_000) => {
        const [o, k] = await Promise.all([
          until(`${what} (ours)`, () => daemons(oursAt.ns), (t) => expected.test(t), timeoutMs, logs),
          until(`${what} (keepalived)`, () => daemons(theirsAt.ns), (t) => expected.test(t), timeoutMs, logs),
        ]);
        expect(o, what).toBe(k);
        return o;
      };
      // Our daemon takes some 20 s to start under TCG on a loaded host.
      const backup = await stage('backup daemon at start', /backup sync daemon/, 120_000);
      expect(backup).toMatch(/^backup sync daemon \(mcast=eth1, syncid=51, maxlen=1400/);
      expect(backup).not.toMatch(/master/);
      const master = await stage('master daemon once MASTER', /master sync daemon/);
      expect(master).not.toMatch(/backup/);
      sh(`ip -n ${oursAt.ns} link set trk1 down; ip -n ${theirsAt.ns} link set trk1 down`);
      const fault = await stage('backup daemon in FAULT', /^backup sync daemon[^\n]*\n?$/);
      expect(fault).not.toMatch(/master/);
      await Promise.all([stop(ours), stop(theirs)]);
      expect(daemons(oursAt.ns)).toBe(daemons(theirsAt.ns));
    } finally {
      await Promise.all([stop(ours), stop(theirs)]);
    }
  });
});

describe('ha_suspend follows the virtual server address', () => {
  it('holds checks and the service while the address is away, resumes when it comes', { timeout: 120_000 }, async () => {
    const ns = namespace('klf-hs');
    const runs = join(work, 'misc-runs');
    writeFileSync(runs, '');
    const conf = join(work, 'ha-suspend.conf');
    writeFileSync(conf, `global_defs {
  script_user root
}
virtual_server 10.81.0.100 80 {
  delay_loop 1
  lb_algo rr
  lb_kind NAT
  protocol TCP
  ha_suspend
  real_server 10.81.1.1 80 {
    MISC_CHECK {
      misc_path "/bin/sh -c 'echo run >> ${runs}'"
    }
  }
}
`);
    const table = () => sh(`ip netns exec ${ns} ipvsadm -Ln`);
    const runCount = () => readFileSync(runs, 'utf8').split('\n').filter(Boolean).length;
    const checker = run(ns, [process.execPath, CHECK_MAIN, '-f', conf]);
    try {
      await until('checker started', checker.log, (l) => l.includes('Checker process started'), 90_000, checker.log);
      await new Promise((r) => setTimeout(r, 3000));
      expect(runCount(), 'no check while suspended').toBe(0);
      expect(table()).not.toContain('10.81.0.100:80');

      const added = Date.now();
      sh(`ip -n ${ns} addr add 10.81.0.100/32 dev lo`);
      await until('service programmed', table, (t) => t.includes('TCP  10.81.0.100:80'), 10_000, checker.log);
      const resumeMs = Date.now() - added;
      await until('checks running', runCount, (n) => n >= 2, 10_000, checker.log);
      await until('resumption logged', checker.log, (l) => l.includes('Resuming checks of 10.81.0.100:80/10.81.1.1:80'), 5_000, checker.log);
      expect(table()).toContain('10.81.1.1:80');

      sh(`ip -n ${ns} addr del 10.81.0.100/32 dev lo`);
      await until('service removed', table, (t) => !t.includes('10.81.0.100:80'), 10_000, checker.log);
      await until('suspension logged', checker.log, (l) => l.includes('Suspending checks of 10.81.0.100:80/10.81.1.1:80'), 5_000, checker.log);
      await new Promise((r) => setTimeout(r, 500));
      const held = runCount();
      await new Promise((r) => setTimeout(r, 2500));
      expect(runCount(), 'checks held again').toBe(held);
      console.log(`ha_suspend: service programmed ${resumeMs} ms after the address was added`);
    } finally {
      await stop(checker);
    }
  });
});
