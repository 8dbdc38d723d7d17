// The status surface of a running daemon, end to end: two directors in namespaces (A: priority
// 100 with a failing weight -30 script, B: priority 90), so A is BACKUP at 70. Checks /status
// (schema, adjustments, master address), `keepalived-ts status` (the line the issue asks for),
// /metrics through promtool, and the USR1/USR2/JSON-signal dumps sent to the parent pid (written
// where the config points them). Then Debian's keepalived 2.2.7 runs A's config in A's namespace
// (a private /tmp: it always writes /tmp/keepalived.json) and its JSON dump is compared with ours.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validate, type Schema } from '../support/json-schema-lite.js';

const PREFIX = 'ktsdo-st';
const NS_A = `${PREFIX}-a`;
const NS_B = `${PREFIX}-b`;
const BIN = fileURLToPath(new URL('../../bin/keepalived-ts', import.meta.url));
const docs = (name: string): Schema => JSON.parse(readFileSync(new URL(`../../docs/${name}`, import.meta.url), 'utf8')) as Schema;
const scratch = mkdtempSync(join(tmpdir(), `${PREFIX}-`));
const children: ChildProcess[] = [];

function sh(command: string, args: readonly string[]): string {
  const result = spawnSync(command, args, { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')}: ${result.stderr}`);
  return result.stdout;
}

function removeNamespaces(): void {
  for (const ns of [NS_A, NS_B]) spawnSync('ip', ['netns', 'del', ns], { stdio: 'ignore' });
}

function instanceConfig(priority: number, tracked: boolean): string {
  return [
    'vrrp_script chk_fail {', '  script "/bin/false"', '  interval 1', '  weight -30', '}',
    'vrrp_instance VI_1 {', '  state BACKUP', '  interface eth0', '  virtual_router_id 51', `  priority ${priority}`, '  advert_int 1',
    '  virtual_ipaddress {', '    10.97.0.100/24', '  }',
    ...(tracked ? ['  track_script {', '    chk_fail', '  }'] : []),
    '}', '',
  ].join('\n');
}

function ourGlobals(name: string): string {
  return ['global_defs {', `  kts_status_socket ${join(scratch, `${name}.sock`)}`, `  state_dump_file ${join(scratch, `${name}.data`)}`,
    `  stats_dump_file ${join(scratch, `${name}.stats`)}`, `  json_dump_file ${join(scratch, `${name}.json`)}`, '}', ''].join('\n');
}

function startOurs(namespace: string, name: string, config: string): ChildProcess {
  const file = join(scratch, `${name}.conf`);
  writeFileSync(file, config);
  const child = spawn('ip', ['netns', 'exec', namespace, process.execPath, BIN, '-n', '-l', '-P', '-f', file,
    '-p', join(scratch, `${name}.pid`), '-r', join(scratch, `${name}.vrrp.pid`)], { stdio: 'ignore' });
  children.push(child);
  return child;
}

async function waitFor<T>(probe: () => T | undefined | Promise<T | undefined>, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function get(socketPath: string, path: string): Promise<{ status: number; body: string; type: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath, path }, (response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString()));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body, type: String(response.headers['content-type']) }));
    });
    req.on('error', reject);
    req.end();
  });
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 8000);
  await exited;
  clearTimeout(timer);
}

const pidOf = (name: string): number => Number(readFileSync(join(scratch, `${name}.pid`), 'utf8').trim());

beforeAll(() => {
  removeNamespaces();
  sh('ip', ['netns', 'add', NS_A]);
  sh('ip', ['netns', 'add', NS_B]);
  sh('ip', ['-n', NS_A, 'link', 'add', 'eth0', 'type', 'veth', 'peer', 'name', 'eth0', 'netns', NS_B]);
  for (const [ns, address] of [[NS_A, '10.97.0.1/24'], [NS_B, '10.97.0.2/24']] as const) {
    sh('ip', ['-n', ns, 'addr', 'add', address, 'dev', 'eth0']);
    sh('ip', ['-n', ns, 'link', 'set', 'eth0', 'up']);
    sh('ip', ['-n', ns, 'link', 'set', 'lo', 'up']);
  }
});

afterAll(async () => {
  await Promise.all(children.map(stop));
  removeNamespaces();
  rmSync(scratch, { recursive: true, force: true });
});

describe('status endpoint and dumps of a running daemon', () => {
  let ourJson: { data: Record<string, unknown>; stats: Record<string, unknown> }[] = [];

  it('serves /status, /metrics and the status line, and writes the three dumps', async () => {
    startOurs(NS_A, 'a', ourGlobals('a') + instanceConfig(100, true));
    startOurs(NS_B, 'b', ourGlobals('b') + instanceConfig(90, false));
    const socket = join(scratch, 'a.sock');
    type Doc = { instances: { state: string; effectivePriority: number; masterAddress: string | null; adjustments: { reason: string; since: string | null }[] }[] };
    const document = await waitFor(async () => {
      if (!existsSync(socket)) return undefined;
      const response = await get(socket, '/status');
      const doc = JSON.parse(response.body) as Doc;
      const vi1 = doc.instances[0];
      return vi1?.state === 'BACKUP' && vi1.masterAddress === '10.97.0.2' && vi1.effectivePriority === 70 ? doc : undefined;
    }, 20_000, 'A BACKUP at priority 70 behind B');
    expect(validate(docs('status.schema.json'), document)).toEqual([]);
    expect(document.instances[0]!.adjustments).toEqual([expect.objectContaining({ reason: 'chk_fail failing', since: expect.any(String) })]);

    const line = spawnSync(process.execPath, [BIN, 'status', '--socket', socket], { encoding: 'utf8' });
    expect(line.status).toBe(0);
    expect(line.stdout).toMatch(/^VI_1 BACKUP prio 70 \(base 100, -30: chk_fail failing since \d\d:\d\d:\d\d\) master 10\.97\.0\.2 /);
    const asJson = spawnSync(process.execPath, [BIN, 'status', '--socket', socket, '--json'], { encoding: 'utf8' });
    expect(validate(docs('status.schema.json'), JSON.parse(asJson.stdout))).toEqual([]);

    const metrics = await get(socket, '/metrics');
    expect(metrics.status).toBe(200);
    expect(metrics.type).toContain('text/plain');
    expect(metrics.body).toContain('keepalived_ts_vrrp_effective_priority{instance="VI_1"} 70');
    expect(metrics.body).toMatch(/keepalived_ts_vrrp_adverts_received_total\{instance="VI_1"\} [1-9]/);
    const promtool = spawnSync('promtool', ['check', 'metrics'], { input: metrics.body, encoding: 'utf8' });
    if (promtool.error !== undefined) expect(process.env['CI'], "promtool is missing: install Debian's prometheus package").not.toBe('true');
    else expect({ status: promtool.status, output: `${promtool.stdout}${promtool.stderr}` }).toEqual({ status: 0, output: '' });

    const jsonSignal = Number(spawnSync(process.execPath, [BIN, '--signum=JSON'], { encoding: 'utf8' }).stdout.trim());
    process.kill(pidOf('a'), 'SIGUSR1');
    process.kill(pidOf('a'), 'SIGUSR2');
    process.kill(pidOf('a'), jsonSignal);
    const file = (ext: string): string => join(scratch, `a.${ext}`);
    await waitFor(() => (['data', 'stats', 'json'].every((ext) => existsSync(file(ext))) ? true : undefined), 5000, 'the three dump files');
    await waitFor(() => (readFileSync(file('json'), 'utf8').endsWith(']') ? true : undefined), 2000, 'a complete JSON dump');
    expect(readFileSync(file('data'), 'utf8')).toMatch(/ VRRP Instance = VI_1\n[\s\S]* {3}State = BACKUP\n[\s\S]* {3}Effective priority = 70\n/);
    expect(readFileSync(file('stats'), 'utf8')).toMatch(/^VRRP Instance: VI_1\n {2}Advertisements:\n {4}Received: [1-9]/);
    ourJson = JSON.parse(readFileSync(file('json'), 'utf8'));
    expect(validate(docs('keepalived-json.schema.json'), ourJson)).toEqual([]);
    expect(ourJson[0]!.data).toMatchObject({ iname: 'VI_1', state: 1, base_priority: 100, effective_priority: 70 });
  }, 60_000);

  it('writes the JSON dump with the field names keepalived 2.2.7 writes for the same config', async () => {
    expect(ourJson.length).toBe(1);
    await Promise.all(children.map(stop));
    // keepalived's dump path is fixed (/tmp/keepalived.json): a private mount namespace gives it a /tmp of its own.
    const kaTmp = mkdtempSync(join(scratch, 'ka-tmp-'));
    writeFileSync(join(kaTmp, 'keepalived.conf'), instanceConfig(100, true));
    const keepalived = spawn('ip', ['netns', 'exec', NS_A, 'unshare', '-m', '--propagation', 'private', 'sh', '-c',
      `mount --bind ${kaTmp} /tmp && exec keepalived -n -l -P -G -f /tmp/keepalived.conf -p /tmp/ka.pid -r /tmp/ka-vrrp.pid -c /tmp/ka-check.pid`], { stdio: 'ignore' });
    children.push(keepalived);
    const pid = await waitFor(() => (existsSync(join(kaTmp, 'ka.pid')) ? Number(readFileSync(join(kaTmp, 'ka.pid'), 'utf8').trim()) : undefined), 10_000, "keepalived's pid file");
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const jsonSignal = Number(spawnSync('keepalived', ['--signum=JSON'], { encoding: 'utf8' }).stdout.trim());
    process.kill(pid, jsonSignal);
    const dump = join(kaTmp, 'keepalived.json');
    await waitFor(() => (existsSync(dump) && readFileSync(dump, 'utf8').trim().endsWith(']') ? true : undefined), 5000, "keepalived's JSON dump");
    const theirs = JSON.parse(readFileSync(dump, 'utf8')) as typeof ourJson;
    const type = (v: unknown): string => (Array.isArray(v) ? 'array' : typeof v);
    for (const part of ['data', 'stats'] as const) {
      for (const [key, value] of Object.entries(ourJson[0]![part])) {
        expect(Object.keys(theirs[0]![part]), `${part}.${key}`).toContain(key);
        expect(type(value), `${part}.${key}`).toBe(type(theirs[0]![part][key]));
      }
    }
    for (const key of ['iname', 'ifp_ifname', 'vrid', 'base_priority', 'version', 'adver_int', 'vips']) {
      const strip = (v: unknown): unknown => (key === 'vips' ? (v as string[]).map((s) => s.replace(/ set$/, '')) : v);
      expect(strip(ourJson[0]!.data[key]), key).toEqual(strip(theirs[0]!.data[key]));
    }
  }, 40_000);
});
