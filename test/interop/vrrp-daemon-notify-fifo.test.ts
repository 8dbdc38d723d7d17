// notify_fifo end to end: our daemon and keepalived 2.2.7, each run in turn with the same config (a
// vrrp_sync_group of two instances, a track_file weight, a weight-0 track_file in FAULT), write
// their notify FIFO through start, election and SIGTERM. Per subject (each INSTANCE and the GROUP)
// the sequence of lines must be identical; only the interleaving between subjects may differ.
import type { ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVrrpLab, delay, scratchDir, startKeepalived, startOurs, waitFor, type Director, type VrrpLab } from '../support/vrrp-lab.js';
import { bySubject, readFifo } from '../support/notify-fifo-reader.js';

function config(fifo: string, trackFile: string): string {
  const instance = (name: string, vrid: number, priority: number, extra: string[] = []): string => [
    `vrrp_instance ${name} {`, '  interface eth0', `  virtual_router_id ${vrid}`, `  priority ${priority}`, '  advert_int 0.1', '  version 3',
    ...extra.map((l) => `  ${l}`), '  virtual_ipaddress {', `    10.181.0.${vrid}/24`, '  }', '}',
  ].join('\n');
  return [
    'global_defs {', `  vrrp_notify_fifo ${fifo}`, '}',
    'track_file tf {', `  file ${trackFile}`, '  weight 10', '}',
    'track_file tf_fault {', `  file ${trackFile}.fault`, '  weight 0', '  init_file 1 overwrite', '}',
    'vrrp_sync_group G1 {', '  group {', '    VI_1', '    VI_2', '  }', '}',
    instance('VI_1', 81, 100),
    instance('VI_2', 82, 90),
    instance('VI_3', 83, 100, ['track_file {', '  tf', '}']),
    instance('VI_4', 84, 100, ['track_file {', '  tf_fault', '}']),
    '',
  ].join('\n');
}

describe('notify_fifo lines of the running daemon, against keepalived 2.2.7', () => {
  let lab: VrrpLab;
  let dir: string;
  const children: ChildProcess[] = [];
  const daemons: Director[] = [];

  beforeAll(() => {
    lab = createVrrpLab('nf', 181, 1, 'kvf');
    dir = mkdtempSync('/run/kvf-fifo-');
    chmodSync(dir, 0o755);
  });

  afterAll(async () => {
    await Promise.all(daemons.map((d) => d.stop()));
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    lab?.destroy();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function run(start: (conf: string, scratch: string) => Director, tag: string): Promise<string> {
    const fifo = join(dir, `${tag}.fifo`);
    const trackFile = join(dir, `${tag}.track`);
    writeFileSync(trackFile, '3\n');
    const fifoReader = readFifo(fifo);
    children.push(fifoReader.process);
    const daemon = start(config(fifo, trackFile), scratchDir(`nf-${tag}`));
    daemons.push(daemon);
    await waitFor(() => fifoReader.text().includes('INSTANCE "VI_3" MASTER') && fifoReader.text().includes('GROUP "G1" MASTER'), 15_000, `${tag}: every instance settled`);
    await delay(500);
    await daemon.stop();
    await waitFor(() => fifoReader.text().includes('GROUP "G1" STOP'), 3000, `${tag}: the STOP lines`);
    await delay(200);
    return fifoReader.text();
  }

  it('writes the same lines per instance and per sync group as keepalived', async () => {
    const theirs = bySubject(await run((conf, scratch) => startKeepalived(lab.directors[0]!, conf, scratch), 'ka'));
    const ours = bySubject(await run((conf, scratch) => startOurs(lab.directors[0]!, conf, scratch), 'ours'));
    expect(theirs['GROUP "G1"']).toEqual(['GROUP "G1" BACKUP 0', 'GROUP "G1" MASTER 0', 'GROUP "G1" STOP 0']);
    expect(ours).toEqual(theirs);
  });
});
