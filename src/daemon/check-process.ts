// The checker process's runtime: loads keepalived.conf, runs every real server's checkers
// (src/check), turns their health into the desired IPVS table (src/lvs/desired.ts) and keeps the
// kernel's table equal to it for the entries we own (src/lvs/table-keeper.ts). It runs the
// real_server notify_up / notify_down and quorum_up / quorum_down scripts, reloads with the
// smallest change (unchanged real servers keep their health, unchanged services their entries)
// and on stop removes its IPVS entries unless told to keep them (-I). check-process-main.ts is
// the module the supervisor forks; runCheckProcess() is the entry point for anything else.
import { networkInterfaces } from 'node:os';
import { CheckScheduler, checksFromConfig, realServerId, type HealthChange, type MonitoredServer } from '../check/index.js';
import type { CheckResult, CheckerSpec, RealServerTarget } from '../check/types.js';
import { scriptIds } from '../check/script-identity.js';
import { splitCommandLine } from '../common/script-command.js';
import { parseAccounts, readAccounts, type AccountDatabase } from '../common/script-user.js';
import { describeOutcome, ScriptRunner } from '../common/script-runner.js';
import type { Logger } from '../common/logger.js';
import { formatDiagnostic } from '../config/diagnostics.js';
import { loadTree } from '../config/load.js';
import { parseConfig } from '../config/parse.js';
import type { Config, RealServer, ScriptCommand, VirtualServer } from '../config/model.js';
import { IpvsClient } from '../ipvs/client.js';
import { RouteEvents } from '../netlink/route/events.js';
import { checkedEndpoint, healthChangeLine } from '../lvs/check-log.js';
import { checkerBlockingErrors } from '../lvs/config-scope.js';
import { desiredState, virtualServerId, type DesiredService, type RealServerHealth } from '../lvs/desired.js';
import { lvsGlobals } from '../lvs/globals.js';
import { TableKeeper } from '../lvs/table-keeper.js';
import { buildCheckerSnapshot, type CheckerSnapshot } from './checker-snapshot.js';
import { ownedFile } from './ipvs-owned-file.js';

export interface CheckProcessOptions {
  readonly configFile: string;
  readonly configId?: string;
  readonly logger: Logger;
  /** -I / --dont-release-ipvs: leave our IPVS entries in the kernel on stop. */
  readonly keepIpvsOnStop?: boolean;
  /** Where the IPVS entries we own are recorded across runs (ipvs-owned-file.ts); none: not recorded. */
  readonly ownedStateFile?: string;
}

export interface RealServerStats {
  readonly id: string;
  readonly virtualServer: string;
  readonly address: string;
  readonly port: number;
  readonly up: boolean;
  readonly weight: number;
  readonly reason: string;
  readonly changes: number;
  /** Checks run and failed since the real server was (re)configured. */
  readonly checks: number;
  readonly failures: number;
  readonly history: readonly { readonly atMs: number; readonly kind: string; readonly ok: boolean; readonly reason: string; readonly latencyMs: number }[];
}

export interface CheckProcessStats {
  readonly realServers: readonly RealServerStats[];
  readonly quorum: Readonly<Record<string, boolean>>;
  readonly checksRun: number;
  readonly checksInFlight: number;
  /** Real servers whose checks ha_suspend holds (their virtual server's address is not here). */
  readonly suspendedRealServers: number;
  readonly ipvsChangesApplied: number;
  /** Upper bound (bucket edge, ms) under which 99% of checks started after their planned moment. */
  readonly startDriftP99Ms: number;
}

export interface ReloadResult {
  readonly ok: boolean;
  readonly kept: number;
  readonly restarted: number;
  readonly removed: number;
}

interface ServerContext {
  readonly virtualServer: VirtualServer;
  readonly realServer: RealServer;
  readonly monitored: MonitoredServer;
  changes: number;
  checks: number;
  failures: number;
  /** ha_suspend: not in the scheduler while the virtual server's address is not on this host. */
  suspended: boolean;
}

type LoadedConfig = { readonly ok: true; readonly config: Config } | { readonly ok: false; readonly message: string };

/**
 * Without the system checks (interfaces named by vrrp_instance and static addresses): they are
 * the VRRP process's concern, and keepalived's checker (-C) runs whatever interfaces exist.
 * Likewise errors inside VRRP-only sections do not stop the checker (src/lvs/config-scope.ts).
 */
function load(configFile: string, configId: string | undefined): LoadedConfig {
  const parsed = parseConfig(configFile, configId === undefined ? {} : { configId });
  const { config, diagnostics } = loadTree(parsed.tree, null);
  const errors = checkerBlockingErrors(parsed.tree, [...parsed.diagnostics, ...diagnostics]);
  if (errors.length > 0) return { ok: false, message: errors.map(formatDiagnostic).join('\n') };
  return { ok: true, config };
}

/** /etc/passwd and /etc/group, read when a script runs (they may change); unreadable = no accounts. */
function accounts(): AccountDatabase {
  try {
    return readAccounts();
  } catch {
    return parseAccounts('', '');
  }
}

function localAddresses(): Set<string> {
  return new Set(Object.values(networkInterfaces()).flatMap((list) => (list ?? []).map((a) => a.address)));
}

export class CheckProcess {
  readonly #options: CheckProcessOptions;
  readonly #log: Logger;
  readonly #client: IpvsClient;
  readonly #keeper: TableKeeper;
  readonly #scripts = new ScriptRunner();
  readonly #scheduler: CheckScheduler;
  #config: Config;
  #servers = new Map<string, ServerContext>();
  #quorum = new Map<string, boolean>();
  #addressEvents: RouteEvents | undefined;
  #localAddresses = localAddresses();
  #checksRun = 0;
  /** The services of the last sync, for the snapshot's IPVS counters. */
  #desired: readonly DesiredService[] = [];
  #stopped = false;
  /** An IPVS sync asked for by health changes is waiting for the end of this loop turn or running. */
  #syncPending: 'none' | 'queued' | 'running' = 'none';
  /** More health changed while that sync ran: sync once more after it. */
  #syncAgain = false;

  private constructor(options: CheckProcessOptions, config: Config, client: IpvsClient) {
    this.#options = options;
    this.#log = options.logger;
    this.#config = config;
    this.#client = client;
    const log = { info: (m: string) => this.#log.info(m), error: (m: string) => this.#log.error(m) };
    this.#keeper = new TableKeeper(client, log, options.ownedStateFile === undefined ? undefined : ownedFile(options.ownedStateFile, log.error));
    this.#scheduler = new CheckScheduler({
      onChange: (change) => this.#healthChanged(change),
      onResult: (target, spec, result) => this.#checked(target, spec, result),
      jitterMs: 0,
    });
  }

  static async start(options: CheckProcessOptions): Promise<CheckProcess> {
    const loaded = load(options.configFile, options.configId);
    if (!loaded.ok) throw new Error(`${options.configFile} has errors:\n${loaded.message}`);
    const client = await IpvsClient.open();
    const checker = new CheckProcess(options, loaded.config, client);
    try {
      await checker.#begin();
    } catch (error) {
      client.close();
      throw error;
    }
    return checker;
  }

  async #begin(): Promise<void> {
    const globals = lvsGlobals(this.#config.global.settings);
    if (globals.flushAtStart) {
      this.#log.info('Flushing the IPVS table (lvs_flush)');
      await this.#client.flush();
    }
    if (globals.timeouts) await this.#client.setTimeouts(globals.timeouts);
    this.#monitor(this.#config);
    await this.#recompute();
    this.#followAddresses();
    this.#log.info(`Checker process started: ${this.#servers.size} real servers in ${this.#config.virtualServers.length} virtual servers`);
  }

  get config(): Config {
    return this.#config;
  }

  stats(): CheckProcessStats {
    return {
      realServers: [...this.#servers.entries()].map(([id, context]) => {
        const health = this.#healthOf(id, context);
        return {
          id,
          virtualServer: virtualServerId(context.virtualServer),
          address: context.realServer.address,
          port: context.realServer.port ?? 0,
          up: health.up,
          weight: health.weight,
          reason: this.#scheduler.health(id)?.reason ?? '',
          changes: context.changes,
          checks: context.checks,
          failures: context.failures,
          history: this.#scheduler.history(id),
        };
      }),
      quorum: Object.fromEntries(this.#quorum),
      checksRun: this.#checksRun,
      checksInFlight: this.#scheduler.inFlight,
      suspendedRealServers: [...this.#servers.values()].filter((s) => s.suspended).length,
      ipvsChangesApplied: this.#keeper.changesApplied,
      startDriftP99Ms: this.#scheduler.startDrift.quantileUpperBoundMs(0.99),
    };
  }

  /** Health, checks and the kernel's IPVS counters for /status and /metrics (one table dump). */
  async snapshot(): Promise<CheckerSnapshot> {
    const stats = this.stats();
    const table = await this.#client.table().catch((error: unknown) => ({ error: (error as Error).message }));
    // History times are performance.now(): moved onto the wall clock here.
    const wallOffset = Date.now() - performance.now();
    return buildCheckerSnapshot({
      virtualServers: this.#config.virtualServers.map(virtualServerId),
      realServers: stats.realServers.map((r) => {
        const last = r.history.at(-1);
        return { ...r, last: last === undefined ? undefined : { ...last, atWallMs: last.atMs + wallOffset } };
      }),
      quorum: stats.quorum,
      desired: this.#desired,
      table,
      checksRun: stats.checksRun,
      checksInFlight: stats.checksInFlight,
      ipvsChangesApplied: stats.ipvsChangesApplied,
      nowWallMs: Date.now(),
    });
  }

  /** Re-reads the config: a broken one is refused; unchanged real servers keep checking undisturbed. */
  async reload(): Promise<ReloadResult> {
    const loaded = load(this.#options.configFile, this.#options.configId);
    if (!loaded.ok) {
      this.#log.error(`Reload refused, the configuration has errors (keeping the running one):\n${loaded.message}`);
      return { ok: false, kept: 0, restarted: 0, removed: 0 };
    }
    this.#config = loaded.config;
    const counts = this.#monitor(loaded.config);
    const ids = new Set(loaded.config.virtualServers.map(virtualServerId));
    for (const id of [...this.#quorum.keys()]) if (!ids.has(id)) this.#quorum.delete(id);
    this.#followAddresses();
    await this.#recompute();
    this.#log.info(`Reload done: ${counts.kept} real servers kept, ${counts.restarted} (re)started, ${counts.removed} removed`);
    return { ok: true, ...counts };
  }

  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#addressEvents?.close();
    this.#scheduler.stop();
    await this.#omega();
    if (!this.#options.keepIpvsOnStop) await this.#keeper.removeAll().catch((error: unknown) => this.#log.error(`IPVS cleanup failed: ${String(error)}`));
    this.#client.close();
    this.#log.info('Checker process stopped');
  }

  /** Starts, keeps or stops each real server's checkers to match the config. */
  #monitor(config: Config): { kept: number; restarted: number; removed: number } {
    const { servers, problems } = checksFromConfig(config);
    for (const problem of problems) this.#log.warn(`${problem.loc.file}:${problem.loc.line}: ${problem.message}`);
    const byId = new Map(servers.map((s) => [s.target.id, s]));
    const next = new Map<string, ServerContext>();
    let kept = 0;
    let restarted = 0;
    for (const virtualServer of config.virtualServers) {
      for (const realServer of virtualServer.realServers) {
        const id = realServerId(virtualServer, realServer);
        const monitored = byId.get(id);
        if (!monitored || next.has(id)) continue;
        const before = this.#servers.get(id);
        const suspended = this.#suspendedHere(virtualServer);
        if (before && before.suspended === suspended && JSON.stringify(before.monitored) === JSON.stringify(monitored)) {
          next.set(id, { ...before, virtualServer, realServer });
          kept++;
        } else {
          if (suspended) this.#scheduler.remove(id);
          else this.#scheduler.add(monitored);
          next.set(id, { virtualServer, realServer, monitored, changes: 0, checks: 0, failures: 0, suspended });
          restarted++;
        }
      }
    }
    let removed = 0;
    for (const id of this.#servers.keys()) {
      if (next.has(id)) continue;
      this.#scheduler.remove(id);
      removed++;
    }
    this.#servers = next;
    return { kept, restarted, removed };
  }

  #healthOf(id: string, context: ServerContext): RealServerHealth {
    const health = this.#scheduler.health(id);
    return health ? { up: health.up, weight: health.weight } : { up: true, weight: context.realServer.weight };
  }

  async #recompute(): Promise<void> {
    if (this.#stopped) return;
    const health = new Map<string, RealServerHealth>();
    for (const [id, context] of this.#servers) health.set(id, this.#healthOf(id, context));
    const desired = desiredState(this.#config, { health, quorum: this.#quorum, localAddresses: this.#localAddresses });
    this.#quorum = new Map(desired.quorum);
    this.#desired = desired.services;
    for (const change of desired.quorumChanges) {
      const virtualServer = this.#config.virtualServers.find((vs) => virtualServerId(vs) === change.virtualServerId);
      this.#log.info(`${change.up ? 'Gained' : 'Lost'} quorum ${change.aliveWeight}${change.up ? '>=' : '<'}${virtualServer?.quorum ?? 1} for VS ${change.virtualServerId}`);
      const script = change.up ? virtualServer?.quorumUp : virtualServer?.quorumDown;
      if (script) this.#runScript(script, `quorum_${change.up ? 'up' : 'down'} of VS ${change.virtualServerId}`);
    }
    const result = await this.#keeper.sync(desired.services);
    // A refused change: the kernel changed under us; the next sync starts from a fresh dump.
    if (result.failed) setTimeout(() => this.#requestSync(), 1000);
  }

  /**
   * Health changes are folded into one IPVS sync per loop turn, and changes that arrive while a
   * sync runs into one more after it: a thousand servers going down at once cost a few syncs,
   * not a thousand (each computes the whole desired table and dumps the kernel's).
   */
  #requestSync(): void {
    if (this.#syncPending !== 'none') {
      if (this.#syncPending === 'running') this.#syncAgain = true;
      return;
    }
    this.#syncPending = 'queued';
    setImmediate(() => {
      this.#syncPending = 'running';
      this.#recompute()
        .catch((error: unknown) => this.#log.error(`IPVS sync failed: ${String(error)}`))
        .finally(() => {
          this.#syncPending = 'none';
          if (!this.#syncAgain) return;
          this.#syncAgain = false;
          this.#requestSync();
        });
    });
  }

  #checked(target: RealServerTarget, spec: CheckerSpec, result: CheckResult): void {
    this.#checksRun++;
    const context = this.#servers.get(target.id);
    if (context) {
      context.checks++;
      if (!result.ok) context.failures++;
    }
    // Thousands of results a second: the line is only built when someone reads it.
    if (this.#log.isLevelEnabled('debug')) this.#log.debug(`${spec.kind} ${checkedEndpoint(target.address, target.port)}: ${result.ok ? 'ok' : 'failed'} (${result.reason}, ${Math.round(result.latencyMs)} ms)`);
  }

  #healthChanged(change: HealthChange): void {
    const context = this.#servers.get(change.target.id);
    if (!context) return;
    context.changes++;
    const kind = context.monitored.checks[0]?.spec.kind;
    this.#log.info(healthChangeLine(kind, checkedEndpoint(change.target.address, change.target.port), change.state === 'up', change.reason));
    const script = change.state === 'up' ? context.realServer.notifyUp : context.realServer.notifyDown;
    if (script) this.#runScript(script, `notify_${change.state} of ${change.target.id}`);
    this.#requestSync();
  }

  /** ha_suspend: a virtual server whose address is not on this host has its checks held. */
  #suspendedHere(virtualServer: VirtualServer): boolean {
    const { service } = virtualServer;
    return virtualServer.settings['ha_suspend'] !== undefined && service.kind === 'address' && !this.#localAddresses.has(service.address);
  }

  /**
   * ha_suspend follows the kernel's address notifications (rtnetlink), as keepalived's netlink
   * reflector does: opened while some virtual_server has ha_suspend, closed when none has.
   */
  #followAddresses(): void {
    const wanted = this.#config.virtualServers.some((vs) => vs.settings['ha_suspend'] !== undefined);
    if (wanted && !this.#addressEvents) {
      // Links too: the host's address list leaves out addresses of links that are not running.
      this.#addressEvents = RouteEvents.open({ links: true, addresses: true });
      this.#addressEvents.on('address', () => this.#addressesChanged());
      this.#addressEvents.on('link', () => this.#addressesChanged());
      this.#addressEvents.on('resync', () => this.#addressesChanged());
      // An address that came or went before the subscription began.
      this.#addressesChanged();
    } else if (!wanted && this.#addressEvents) {
      this.#addressEvents.close();
      this.#addressEvents = undefined;
    }
  }

  #addressesChanged(): void {
    const now = localAddresses();
    if (now.size === this.#localAddresses.size && [...now].every((a) => this.#localAddresses.has(a))) return;
    this.#localAddresses = now;
    for (const [id, context] of this.#servers) {
      const suspended = this.#suspendedHere(context.virtualServer);
      if (suspended === context.suspended) continue;
      context.suspended = suspended;
      this.#log.info(`${suspended ? 'Suspending' : 'Resuming'} checks of ${id} (ha_suspend: virtual server address ${suspended ? 'gone' : 'back'})`);
      if (suspended) this.#scheduler.remove(id);
      else this.#scheduler.add(context.monitored);
    }
    this.#requestSync();
  }

  /** omega: at shutdown, the down notifiers run as if every real server and quorum went down. */
  async #omega(): Promise<void> {
    const runs: Promise<unknown>[] = [];
    for (const virtualServer of this.#config.virtualServers) {
      if (!virtualServer.omega) continue;
      for (const realServer of virtualServer.realServers) {
        const id = realServerId(virtualServer, realServer);
        const context = this.#servers.get(id);
        if (realServer.notifyDown && context && this.#healthOf(id, context).up) runs.push(this.#runScript(realServer.notifyDown, `notify_down of ${id}`));
      }
      if (virtualServer.quorumDown && this.#quorum.get(virtualServerId(virtualServer))) {
        runs.push(this.#runScript(virtualServer.quorumDown, `quorum_down of VS ${virtualServerId(virtualServer)}`));
      }
    }
    await Promise.all(runs);
  }

  #runScript(script: ScriptCommand, what: string): Promise<void> {
    const split = splitCommandLine(script.command);
    if (!split.ok) {
      this.#log.error(`${what}: ${split.message}`);
      return Promise.resolve();
    }
    // As keepalived: the script's user, else script_user, else keepalived_script, else root.
    const ids = scriptIds(accounts(), this.#config.global, script);
    if (!ids.ok) {
      this.#log.error(`${what}: ${ids.message}; not run`);
      return Promise.resolve();
    }
    this.#log.info(`Executing [${script.command}] for ${what}`);
    const identity = { ...(ids.uid !== undefined ? { uid: ids.uid } : {}), ...(ids.gid !== undefined ? { gid: ids.gid } : {}) };
    return this.#scripts.run({ argv: split.argv, timeoutMs: 30_000, ...identity }).then((outcome) => {
      if (outcome.kind !== 'exited' || outcome.code !== 0) this.#log.warn(`${what}: [${script.command}] ${describeOutcome(outcome)}`);
    });
  }
}

/** The checker process's entry point: starts checking and programming IPVS; stop() undoes it. */
export function runCheckProcess(options: CheckProcessOptions): Promise<CheckProcess> {
  return CheckProcess.start(options);
}
