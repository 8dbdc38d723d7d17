// Our notify FIFO lines against Debian's keepalived 2.2.7: keepalived runs an instance with a
// track_file (priority 100 + 3 × 10), a sync group and a faulted instance, writes its notify FIFO
// (read by a `cat` process) through startup, election and SIGTERM; then our Notifier is given the
// same events and its FIFO must carry byte-identical text. The expected lines are also pinned.
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScriptRunner } from '../../src/common/script-runner.js';
import { NotifyFifo } from '../../src/vrrp/notify-fifo.js';
import { Notifier } from '../../src/vrrp/notify.js';
import { cleanupNamespaces, createNamespace, disposeNamespaces, ip, run } from '../support/netns.js';

const PREFIX = 'ktsvt';
let ns: string;
let dir: string;
const children: ChildProcess[] = [];

beforeAll(() => {
  cleanupNamespaces(PREFIX);
  ns = createNamespace(PREFIX);
  ip(ns, 'link', 'add', 'kfe0', 'type', 'veth', 'peer', 'name', 'kfe1');
  ip(ns, 'link', 'set', 'kfe0', 'up');
  ip(ns, 'link', 'set', 'kfe1', 'up');
  ip(ns, 'addr', 'add', '10.98.0.1/24', 'dev', 'kfe0');
  dir = mkdtempSync('/run/ktsvt-fifo-');
  chmodSync(dir, 0o755);
});

afterAll(() => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  disposeNamespaces();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function config(fifo: string, trackFile: string): string {
  return `global_defs {
  vrrp_notify_fifo ${fifo}
}
track_file tf {
  file ${trackFile}
  weight 10
}
track_file tf_fault {
  file ${trackFile}.fault
  weight 0
  init_file 1 overwrite
}
vrrp_sync_group G1 {
  group {
    VI_1
    VI_2
  }
}
vrrp_instance VI_1 {
  interface kfe0
  virtual_router_id 81
  priority 100
  advert_int 1
  virtual_ipaddress {
    10.98.0.81/24
  }
}
vrrp_instance VI_2 {
  interface kfe0
  virtual_router_id 82
  priority 90
  advert_int 1
  virtual_ipaddress {
    10.98.0.82/24
  }
}
vrrp_instance VI_3 {
  interface kfe0
  virtual_router_id 83
  priority 100
  advert_int 1
  track_file {
    tf
  }
  virtual_ipaddress {
    10.98.0.83/24
  }
}
vrrp_instance VI_4 {
  interface kfe0
  virtual_router_id 84
  priority 100
  advert_int 1
  track_file {
    tf_fault
  }
  virtual_ipaddress {
    10.98.0.84/24
  }
}
`;
}

/** Reads a FIFO with a separate `cat` process; returns a function giving the text so far. */
function readFifo(path: string): () => string {
  const reader = spawn('cat', [path], { stdio: ['ignore', 'pipe', 'ignore'] });
  children.push(reader);
  let text = '';
  reader.stdout!.on('data', (chunk: Buffer) => (text += chunk.toString()));
  return () => text;
}

async function until(condition: () => boolean, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
}

describe('notify FIFO lines', () => {
  let keepalivedText = '';

  it("keepalived 2.2.7 writes the lines we expect", async () => {
    const fifo = join(dir, 'keepalived.fifo');
    run('mkfifo', [fifo]);
    const trackFile = join(dir, 'tf');
    writeFileSync(trackFile, '3\n');
    const configFile = join(dir, 'keepalived.conf');
    writeFileSync(configFile, config(fifo, trackFile));
    const text = readFifo(fifo);
    const keepalived = spawn('ip', ['netns', 'exec', ns, 'keepalived', '-n', '-l', '-D', '-P', '-f', configFile, '-p', join(dir, 'k.pid'), '-r', join(dir, 'v.pid')], { stdio: 'ignore' });
    children.push(keepalived);
    const exited = new Promise((resolve) => keepalived.once('exit', resolve));
    await until(() => (text().match(/ MASTER /g) ?? []).length >= 4, 10_000);
    keepalived.kill('SIGTERM');
    await exited;
    await until(() => text().includes('GROUP "G1" STOP'), 3000);
    keepalivedText = text();
    const lines = keepalivedText.trim().split('\n');
    expect(lines).toEqual(expect.arrayContaining([
      'INSTANCE "VI_4" FAULT 100',
      'INSTANCE "VI_3" BACKUP 130',
      'INSTANCE "VI_3" MASTER 130',
      'GROUP "G1" BACKUP 0',
      'GROUP "G1" MASTER 0',
      'INSTANCE "VI_1" MASTER 100',
      'INSTANCE "VI_2" MASTER 90',
      'INSTANCE "VI_3" STOP 130',
      'INSTANCE "VI_4" STOP 100',
      'GROUP "G1" STOP 0',
    ]));
    for (const line of lines) expect(line).toMatch(/^(INSTANCE|GROUP) "[^"]+" [A-Z_]+ \d+$/);
  });

  it('our Notifier, given the same events, writes byte-identical text', async () => {
    expect(keepalivedText).not.toBe('');
    const path = join(dir, 'ours.fifo');
    const fifo = await NotifyFifo.open(path);
    const text = readFifo(path);
    const notifier = new Notifier({ runner: new ScriptRunner(), fifos: [fifo] });
    for (const line of keepalivedText.trim().split('\n')) {
      const [, subject, name, state, priority] = /^(INSTANCE|GROUP) "([^"]+)" ([A-Z_]+) (\d+)$/.exec(line)!;
      const to = state as 'MASTER' | 'BACKUP' | 'FAULT' | 'STOP';
      if (subject === 'GROUP') notifier.groupTransition(name!, to);
      else notifier.instanceTransition(name!, to, Number(priority));
    }
    await until(() => text().length >= keepalivedText.length, 3000);
    await fifo.close();
    expect(text()).toBe(keepalivedText);
    expect(readFileSync(join(dir, 'tf'), 'utf8')).toBe('3\n');
  });
});
