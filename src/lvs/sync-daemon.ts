// global_defs `lvs_sync_daemon IF [[inst] INSTANCE] [id N] [maxlen N] [port N] [ttl N] [group IP]`:
// the kernel's IPVS connection-sync daemons, run by the VRRP process as keepalived does. With an
// instance, only the master daemon runs while that instance is MASTER and only the backup daemon
// otherwise (keepalived.conf(5)); without one, both run as long as we do. The sync id defaults to
// the instance's VRID (0 without an instance). The old per-instance `lvs_sync_daemon_interface IF`
// means `lvs_sync_daemon IF INSTANCE`. Parsing and the wanted set are pure; SyncDaemonFollower is
// the shell that drives the kernel (src/ipvs) and never throws: failures are logged.
import type { Config } from '../config/model.js';
import type { IpvsClient } from '../ipvs/client.js';
import type { SyncDaemon } from '../ipvs/types.js';

/** A VRRP instance's state, as the VRRP runtime names it. */
export type InstanceState = 'INIT' | 'BACKUP' | 'MASTER' | 'FAULT' | 'STOP';

export interface SyncDaemonSpec {
  readonly interface: string;
  readonly instance?: string;
  readonly syncId?: number;
  readonly maxLength?: number;
  readonly port?: number;
  readonly ttl?: number;
  readonly group?: string;
}

export type SyncDaemonParse = { readonly ok: true; readonly spec: SyncDaemonSpec } | { readonly ok: false; readonly message: string };

const NUMBER_OPTIONS = { id: ['syncId', 0, 255], maxlen: ['maxLength', 1, 65507], port: ['port', 1, 65535], ttl: ['ttl', 1, 255] } as const;

/** The words after `lvs_sync_daemon`. */
export function parseSyncDaemon(words: readonly string[]): SyncDaemonParse {
  const [iface, ...rest] = words;
  if (iface === undefined) return { ok: false, message: 'lvs_sync_daemon needs an interface' };
  const spec: { -readonly [K in keyof SyncDaemonSpec]: SyncDaemonSpec[K] } = { interface: iface };
  for (let i = 0; i < rest.length; i++) {
    const word = rest[i]!;
    const value = rest[i + 1];
    const numeric = Object.hasOwn(NUMBER_OPTIONS, word);
    if (word === 'inst' || (i === 0 && !numeric && word !== 'group')) {
      const name = word === 'inst' ? value : word;
      if (name === undefined) return { ok: false, message: 'lvs_sync_daemon: inst needs an instance name' };
      spec.instance = name;
      if (word === 'inst') i++;
    } else if (numeric) {
      const [field, min, max] = NUMBER_OPTIONS[word as keyof typeof NUMBER_OPTIONS];
      const number = value !== undefined && /^\d+$/.test(value) ? Number(value) : NaN;
      if (!(number >= min && number <= max)) return { ok: false, message: `lvs_sync_daemon: ${word} ${value ?? ''} is not in ${min}..${max}` };
      spec[field] = number;
      i++;
    } else if (word === 'group') {
      if (value === undefined) return { ok: false, message: 'lvs_sync_daemon: group needs an address' };
      spec.group = value;
      i++;
    } else {
      return { ok: false, message: `lvs_sync_daemon: unknown option '${word}'` };
    }
  }
  return { ok: true, spec };
}

/** The sync daemon the config asks for (global lvs_sync_daemon, else an instance's lvs_sync_daemon_interface), if any. */
export function syncDaemonFromConfig(config: Config): SyncDaemonParse | undefined {
  const global = config.global.settings['lvs_sync_daemon'];
  if (Array.isArray(global)) return parseSyncDaemon(global.filter((w): w is string => typeof w === 'string'));
  if (typeof global === 'string') return parseSyncDaemon(global.split(/\s+/));
  const legacy = config.vrrpInstances.find((i) => typeof i.settings['lvs_sync_daemon_interface'] === 'string');
  if (!legacy) return undefined;
  return { ok: true, spec: { interface: legacy.settings['lvs_sync_daemon_interface'] as string, instance: legacy.name } };
}

/** The kernel daemon settings: sync id defaulting to the followed instance's VRID. */
export function daemonSettings(spec: SyncDaemonSpec, config: Config, state: SyncDaemon['state']): SyncDaemon {
  const vrid = config.vrrpInstances.find((i) => i.name === spec.instance)?.virtualRouterId;
  return {
    state,
    interface: spec.interface,
    syncId: spec.syncId ?? vrid ?? 0,
    ...(spec.maxLength !== undefined ? { maxLength: spec.maxLength } : {}),
    ...(spec.port !== undefined ? { port: spec.port } : {}),
    ...(spec.ttl !== undefined ? { ttl: spec.ttl } : {}),
    ...(spec.group !== undefined ? { group: spec.group } : {}),
  };
}

/** Which daemons run for the followed instance's state (undefined: no instance is followed). */
export function wantedDaemons(spec: SyncDaemonSpec, state: InstanceState | undefined): readonly SyncDaemon['state'][] {
  if (spec.instance === undefined) return ['master', 'backup'];
  return state === 'MASTER' ? ['master'] : ['backup'];
}

/** What SyncDaemonFollower needs of the IPVS client. */
export interface SyncDaemonControl {
  startDaemon(daemon: SyncDaemon): Promise<void>;
  stopDaemon(state: SyncDaemon['state']): Promise<void>;
}

export interface SyncDaemonLog {
  info(message: string): void;
  error(message: string): void;
}

/** Keeps the kernel's sync daemons in step with the followed instance; one change at a time. */
export class SyncDaemonFollower {
  readonly #control: SyncDaemonControl;
  readonly #spec: SyncDaemonSpec;
  readonly #config: Config;
  readonly #log: SyncDaemonLog;
  #running = new Set<SyncDaemon['state']>();
  #queue: Promise<void> = Promise.resolve();
  #state: InstanceState | undefined;

  constructor(control: SyncDaemonControl, spec: SyncDaemonSpec, config: Config, log: SyncDaemonLog) {
    this.#control = control;
    this.#spec = spec;
    this.#config = config;
    this.#log = log;
  }

  /** Starts what runs before the instance has a state (the backup daemon, or both without an instance). */
  start(): Promise<void> {
    return this.#enqueue(wantedDaemons(this.#spec, this.#state));
  }

  /** Every instance transition goes here; only the followed instance's matter. */
  instanceState(instance: string, state: InstanceState): void {
    if (instance !== this.#spec.instance || state === 'STOP') return;
    this.#state = state;
    void this.#enqueue(wantedDaemons(this.#spec, state));
  }

  /** Stops every daemon we started (keepalived stops them when its VRRP process ends). */
  stop(): Promise<void> {
    return this.#enqueue([]);
  }

  #enqueue(wanted: readonly SyncDaemon['state'][]): Promise<void> {
    this.#queue = this.#queue.then(() => this.#apply(wanted));
    return this.#queue;
  }

  async #apply(wanted: readonly SyncDaemon['state'][]): Promise<void> {
    for (const state of [...this.#running]) {
      if (wanted.includes(state)) continue;
      try {
        await this.#control.stopDaemon(state);
        this.#log.info(`Stopped IPVS sync daemon ${state} on ${this.#spec.interface}`);
      } catch (error) {
        this.#log.error(`Stopping IPVS sync daemon ${state}: ${(error as Error).message}`);
      }
      this.#running.delete(state);
    }
    for (const state of wanted) {
      if (this.#running.has(state)) continue;
      const daemon = daemonSettings(this.#spec, this.#config, state);
      try {
        await this.#control.startDaemon(daemon);
        this.#running.add(state);
        this.#log.info(`Started IPVS sync daemon ${state} on ${daemon.interface} (syncid ${daemon.syncId})`);
      } catch (error) {
        this.#log.error(`Starting IPVS sync daemon ${state} on ${daemon.interface}: ${(error as Error).message}`);
      }
    }
  }
}

export interface RunningSyncDaemons {
  readonly follower: SyncDaemonFollower;
  /** Stops the daemons we started and closes the IPVS socket. */
  close(): Promise<void>;
}

/**
 * The VRRP process's sync daemons for this config, started (backup, or both without an
 * instance); undefined when the config has none or IPVS cannot be reached (logged).
 */
export async function startSyncDaemons(config: Config, log: SyncDaemonLog): Promise<RunningSyncDaemons | undefined> {
  const parsed = syncDaemonFromConfig(config);
  if (parsed === undefined) return undefined;
  if (!parsed.ok) {
    log.error(`${parsed.message}: no IPVS sync daemon`);
    return undefined;
  }
  let client: IpvsClient;
  try {
    // Loaded here: the VRRP process only needs the IPVS client when a sync daemon is configured.
    const { IpvsClient: Client } = await import('../ipvs/client.js');
    client = await Client.open();
  } catch (error) {
    log.error(`IPVS sync daemon not started: ${(error as Error).message}`);
    return undefined;
  }
  const follower = new SyncDaemonFollower(client, parsed.spec, config, log);
  await follower.start();
  return {
    follower,
    close: async () => {
      await follower.stop();
      client.close();
    },
  };
}
