// The VRRP child process: runs the VRRP runtime and its trackers and notifications, nothing else
// (no health checks), so no other work can delay its timers. Started by the supervisor (daemon.ts)
// with the daemon's settings as one JSON argument (on a first start, the parent's parsed config comes
// over IPC: vrrp-config-handoff.ts). It enters the namespace (-s) before opening any
// socket, writes its pid file (-r), and reacts to signals (child-lifecycle.ts): TERM/INT stop
// (priority 0, VIPs released unless -V), HUP re-reads the config and restarts the instances whose
// definition changed (and rebuilds trackers and notify settings when they changed), USR1/USR2 write the
// runtime's counters as JSON (KEEPALIVED_TS_STATS_FILE, default /tmp/keepalived-ts.stats.json).
// With lvs_sync_daemon it also drives the kernel's IPVS sync daemons (src/lvs/sync-daemon.ts), as
// keepalived's VRRP process does: two netlink requests per transition of the followed instance.
import { writeFileSync } from 'node:fs';
import { createLogger, type Logger } from '../common/logger.js';
import { startSyncDaemons } from '../lvs/sync-daemon.js';
import { enterNetworkNamespace } from '../sys/interfaces.js';
import { instanceDefinitions } from '../vrrp/instance-config.js';
import { VrrpRuntime } from '../vrrp/runtime/runtime.js';
import { bindChildLifecycle } from './child-lifecycle.js';
import { listenForEarlySignals } from './early-signals.js';
import { ReloadableTracking } from './reloadable-tracking.js';
import type { Config } from '../config/model.js';
import { applyVrrpProcessPriority } from './process-priority.js';
import type { DaemonSettings } from './daemon-settings.js';
import { removePidFile, writePidFile } from './pidfile.js';
import { CONFIG_FROM_PARENT, receiveConfigFromParent } from './vrrp-config-handoff.js';
import { CHECKER_SNAPSHOT_REQUEST, type CheckerSnapshot } from './checker-snapshot.js';
import { RelayClient } from './child-relay.js';
import { traceNodeBootstrap, traceStartup } from '../common/startup-trace.js';
import { restoreDeferredEnvironment } from './vrrp-child-environment.js';
import { publishFarewellTable } from './signal-forwarding.js';
import { firewallPlan } from '../vrrp/firewall/plan.js';
import { VipFirewall } from '../vrrp/firewall/vip-firewall.js';

export const DEFAULT_STATS_FILE = '/tmp/keepalived-ts.stats.json';
/** A status request waits this long for the checker before answering without it. */
const CHECKER_SNAPSHOT_TIMEOUT_MS = 1500;

export function statsFilePath(): string {
  return process.env['KEEPALIVED_TS_STATS_FILE'] ?? DEFAULT_STATS_FILE;
}

/**
 * The config: handed over by the parent on a first start (already validated there), else read from
 * the file. The config modules load only when needed: they are a good part of a cold start.
 */
async function startupConfig(settings: DaemonSettings, fromParent: boolean, logger: Logger): Promise<Config> {
  if (fromParent) return (await receiveConfigFromParent()).config as Config;
  const { formatDiagnostics, loadDaemonConfig } = await import('./config-loading.js');
  const loaded = loadDaemonConfig(settings.configFile, settings.configId);
  if (!loaded.ok) {
    logger.error(`configuration has errors, VRRP not started:\n${formatDiagnostics(loaded.errors)}`);
    process.exit(1);
  }
  return loaded.config;
}

async function runVrrpProcess(settings: DaemonSettings, configFromParent: boolean, logger: Logger): Promise<void> {
  if (settings.namespace !== undefined) enterNetworkNamespace(settings.namespace);
  const config = await startupConfig(settings, configFromParent, logger);
  traceStartup('vrrp-config-received');
  if (earlySignals.stopReason !== undefined) {
    // Stopped before anything ran (no pid file yet): nothing to undo.
    logger.info(`Stopping VRRP (${earlySignals.stopReason}) before the instances started`);
    setTimeout(() => process.exit(0), 50);
    return;
  }
  writePidFile(settings.vrrpPidFile);
  publishFarewellTable();
  applyVrrpProcessPriority(config.global.settings, logger);
  const tracking = await ReloadableTracking.build(config, logger);
  const relay = new RelayClient();
  // lvs_sync_daemon: the kernel's IPVS sync daemons follow an instance's state, as in keepalived.
  const syncDaemons = await startSyncDaemons(config, { info: (m) => logger.info(m), error: (m) => logger.error(m) });
  // no_accept / vrrp_strict: VIPs dropped by nftables while their instance is MASTER, as keepalived does.
  const firewall = new VipFirewall(firewallPlan(config), { info: (m) => logger.info(m), error: (m) => logger.error(m) });
  const notifyTransition = tracking.runtimeOptions.onTransition;
  await startupDelay(config, logger, settings.vrrpPidFile);
  const runtime = await VrrpRuntime.start({
    instances: instanceDefinitions(config),
    logger,
    releaseOnStop: !settings.dontReleaseVrrp,
    logUnknownVrids: config.global.settings['log_unknown_vrids'] !== undefined,
    ...tracking.runtimeOptions,
    onTransition: (name, transition, priority) => {
      notifyTransition?.(name, transition, priority);
      syncDaemons?.follower.instanceState(name, transition.to);
      firewall.instanceState(name, transition.to);
    },
  });
  traceStartup('vrrp-instances-started');
  // Status, metrics and dumps load after the instances run: nothing of theirs is needed before.
  const { StatusService } = await import('./status-service.js');
  const status = await StatusService.start({ runtime, config, logger, initialTrackers: tracking.runtimeOptions.initialTrackers, statusSocket: settings.statusSocket, statusListen: settings.statusListen,
    checkerSnapshot: () => relay.request('check', CHECKER_SNAPSHOT_REQUEST, CHECKER_SNAPSHOT_TIMEOUT_MS) as Promise<CheckerSnapshot | undefined> });
  tracking.start({
    update: (instance, trackerStatus) => {
      runtime.updateTracker(instance, trackerStatus);
      status.trackerChanged(instance, trackerStatus);
    },
    replace: (instance, statuses) => {
      runtime.replaceTrackers(instance, statuses);
      status.trackersReplaced(instance, statuses);
    },
  });
  const dump = (): void => {
    try {
      writeFileSync(statsFilePath(), JSON.stringify({ pid: process.pid, at: new Date().toISOString(), ...runtime.stats() }, null, 2));
    } catch (error) {
      logger.error({ err: error }, `cannot write ${statsFilePath()}: ${(error as Error).message}`);
    }
  };
  bindChildLifecycle({
    stop: async (reason) => {
      // runtime.stop() sends the priority-0 adverts before it first waits: before the log line.
      const stopped = runtime.stop();
      logger.info(`Stopping VRRP (${reason})`);
      await stopped;
      await syncDaemons?.close();
      await firewall.close();
      await status.close();
      await tracking.close();
      removePidFile(settings.vrrpPidFile);
    },
    reload: async () => {
      logger.info('Reloading configuration');
      const { formatDiagnostics, loadDaemonConfig } = await import('./config-loading.js');
      const next = loadDaemonConfig(settings.configFile, settings.configId);
      if (!next.ok) {
        logger.error(`new configuration has errors, keeping the running one:\n${formatDiagnostics(next.errors)}`);
        return;
      }
      let result: Awaited<ReturnType<VrrpRuntime['reload']>> | undefined;
      await tracking.reload(next.config, async () => {
        result = await runtime.reload(instanceDefinitions(next.config));
        return result.kept;
      });
      if (result === undefined) return;
      firewall.replacePlan(firewallPlan(next.config));
      runtime.setLogUnknownVrids(next.config.global.settings['log_unknown_vrids'] !== undefined);
      status.configReloaded(next.config);
      if (next.config.global.settings['fifo_write_vrrp_states_on_reload'] !== undefined) {
        const groups = new Set(next.config.vrrpSyncGroups.map((g) => g.name));
        tracking.writeGroupStates([...runtime.groupStates()].filter(([group]) => groups.has(group)));
      }
      logger.info(result, `Reload done: ${result.kept.length} kept, ${result.restarted.length} restarted, ${result.started.length} started, ${result.stopped.length} stopped`);
    },
    dumpState: () => {
      dump();
      status.dumpState();
    },
    dumpStats: () => {
      dump();
      status.dumpStats();
    },
    dumpJson: () => status.dumpJson(),
  }, (error) => logger.error({ err: error }, `VRRP process error: ${(error as Error).message}`), earlySignals);
  // A supervisor that died while we were starting closed the channel before anyone listened.
  if (!process.connected) process.kill(process.pid, 'SIGTERM');
}

/**
 * global_defs vrrp_startup_delay SECS: the instances start that much later (for networks that come
 * up late at boot). keepalived 2.2.7 logs "Delaying startup for N seconds" and sends its first
 * advert N seconds plus the master-down interval after start (measured).
 * A stop during the delay ends the process here: nothing runs yet but the pid file.
 */
async function startupDelay(config: Config, logger: Logger, pidFile: string): Promise<void> {
  const seconds = config.global.settings['vrrp_startup_delay'];
  if (typeof seconds !== 'number' || seconds <= 0) return;
  logger.info(`Delaying startup for ${seconds} seconds`);
  let timer: NodeJS.Timeout | undefined;
  const delayed = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), seconds * 1000);
  });
  const signal = await Promise.race([delayed, earlySignals.stopRequested]);
  if (signal === undefined) return;
  clearTimeout(timer);
  removePidFile(pidFile);
  logger.info(`Stopping VRRP (${signal}) during the startup delay`);
  // Give a pino transport a moment to flush before exiting.
  setTimeout(() => process.exit(0), 50);
  await new Promise(() => {});
}

// First of all: a signal from now on is caught (early-signals.ts), whatever the start is doing.
const earlySignals = listenForEarlySignals();
traceNodeBootstrap();
traceStartup('vrrp-code-loaded');
restoreDeferredEnvironment(process.env);
const settings = JSON.parse(process.argv[2] ?? '{}') as DaemonSettings;
const configFromParent = process.argv[3] === CONFIG_FROM_PARENT;
const logger = createLogger({
  pretty: settings.logConsole,
  level: settings.logDetail ? 'debug' : 'info',
  ...(settings.logFile === undefined ? {} : { file: settings.logFile }),
  bindings: { process: 'vrrp' },
});
runVrrpProcess(settings, configFromParent, logger).catch((error: unknown) => {
  logger.fatal({ err: error }, `VRRP process failed to start: ${(error as Error).message}`);
  removePidFile(settings.vrrpPidFile);
  // Give a pino transport a moment to flush before exiting.
  setTimeout(() => process.exit(1), 200);
});
