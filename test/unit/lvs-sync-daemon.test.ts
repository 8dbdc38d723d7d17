// lvs_sync_daemon: parsing keepalived's line, and which kernel sync daemons run as the followed
// VRRP instance changes state (fake IPVS control: the calls are the observable behaviour).
import { describe, expect, it } from 'vitest';
import { loadConfigText } from '../../src/config/load.js';
import type { SyncDaemon } from '../../src/ipvs/types.js';
import { SyncDaemonFollower, parseSyncDaemon, syncDaemonFromConfig, wantedDaemons } from '../../src/lvs/sync-daemon.js';

const instance = (name: string, vrid: number, extra = '') =>
  `vrrp_instance ${name} {\n interface eth0\n virtual_router_id ${vrid}\n priority 100\n${extra} virtual_ipaddress {\n  10.0.0.${vrid}\n }\n}\n`;
const config = (text: string) => loadConfigText(text, 'test.conf', { system: null }).config;

describe('parseSyncDaemon', () => {
  it('reads the interface, the instance with or without inst, and every option', () => {
    expect(parseSyncDaemon(['eth1', 'VI_1', 'id', '5', 'maxlen', '1400', 'port', '8849', 'ttl', '2', 'group', '224.0.0.82'])).toEqual({
      ok: true,
      spec: { interface: 'eth1', instance: 'VI_1', syncId: 5, maxLength: 1400, port: 8849, ttl: 2, group: '224.0.0.82' },
    });
    expect(parseSyncDaemon(['eth1', 'inst', 'VI_2'])).toEqual({ ok: true, spec: { interface: 'eth1', instance: 'VI_2' } });
    expect(parseSyncDaemon(['eth1', 'id', '7'])).toEqual({ ok: true, spec: { interface: 'eth1', syncId: 7 } });
  });
  it('refuses out-of-range numbers and unknown words', () => {
    expect(parseSyncDaemon(['eth1', 'VI_1', 'id', '256'])).toMatchObject({ ok: false });
    expect(parseSyncDaemon(['eth1', 'VI_1', 'toString', '1'])).toMatchObject({ ok: false, message: "lvs_sync_daemon: unknown option 'toString'" });
    expect(parseSyncDaemon([])).toMatchObject({ ok: false });
  });
  it('comes from global_defs, or from the deprecated per-instance lvs_sync_daemon_interface', () => {
    expect(syncDaemonFromConfig(config(`global_defs {\n lvs_sync_daemon eth1 VI_1\n}\n${instance('VI_1', 51)}`))).toEqual({ ok: true, spec: { interface: 'eth1', instance: 'VI_1' } });
    expect(syncDaemonFromConfig(config(instance('VI_9', 9, ' lvs_sync_daemon_interface eth2\n')))).toEqual({ ok: true, spec: { interface: 'eth2', instance: 'VI_9' } });
    expect(syncDaemonFromConfig(config(instance('VI_1', 51)))).toBeUndefined();
  });
});

describe('wantedDaemons', () => {
  it('runs master only while the instance is MASTER, backup otherwise, both without an instance', () => {
    const spec = { interface: 'eth1', instance: 'VI_1' };
    expect(wantedDaemons(spec, undefined)).toEqual(['backup']);
    expect(wantedDaemons(spec, 'MASTER')).toEqual(['master']);
    expect(wantedDaemons(spec, 'FAULT')).toEqual(['backup']);
    expect(wantedDaemons({ interface: 'eth1' }, 'MASTER')).toEqual(['master', 'backup']);
  });
});

describe('SyncDaemonFollower', () => {
  function follow(syncLine: string) {
    const calls: string[] = [];
    const control = {
      startDaemon: async (d: SyncDaemon) => void calls.push(`start ${d.state} ${d.interface} id ${d.syncId}`),
      stopDaemon: async (state: SyncDaemon['state']) => {
        calls.push(`stop ${state}`);
        if (state === 'master' && syncLine.includes('fail')) throw new Error('ESRCH');
      },
    };
    const errors: string[] = [];
    const cfg = config(`global_defs {\n lvs_sync_daemon ${syncLine.replace(' fail', '')}\n}\n${instance('VI_1', 51)}${instance('VI_2', 52)}`);
    const parsed = syncDaemonFromConfig(cfg);
    if (!parsed?.ok) throw new Error('no spec');
    const follower = new SyncDaemonFollower(control, parsed.spec, cfg, { info: () => undefined, error: (m) => errors.push(m) });
    return { follower, calls, errors };
  }

  it('starts backup, swaps to master on MASTER and back on BACKUP, ignores other instances, stops all at the end', async () => {
    const { follower, calls } = follow('eth1 VI_1');
    await follower.start();
    follower.instanceState('VI_2', 'MASTER');
    follower.instanceState('VI_1', 'MASTER');
    follower.instanceState('VI_1', 'MASTER');
    follower.instanceState('VI_1', 'BACKUP');
    await follower.stop();
    // The sync id defaults to the followed instance's VRID.
    expect(calls).toEqual(['start backup eth1 id 51', 'stop backup', 'start master eth1 id 51', 'stop master', 'start backup eth1 id 51', 'stop backup']);
  });

  it('runs both daemons without an instance', async () => {
    const { follower, calls } = follow('eth1 id 9');
    await follower.start();
    await follower.stop();
    expect(calls).toEqual(['start master eth1 id 9', 'start backup eth1 id 9', 'stop master', 'stop backup']);
  });

  it('logs a refused kernel request and carries on', async () => {
    const { follower, calls, errors } = follow('eth1 VI_1 fail');
    await follower.start();
    follower.instanceState('VI_1', 'MASTER');
    follower.instanceState('VI_1', 'BACKUP');
    await follower.stop();
    expect(errors).toEqual(['Stopping IPVS sync daemon master: ESRCH']);
    expect(calls.at(-1)).toBe('stop backup');
  });
});
