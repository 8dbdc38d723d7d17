// The VRRP child process: runs the VRRP runtime and its trackers and notifications, nothing else
// (no health checks), so no other work can delay its timers. Started by the supervisor (daemon.ts)
// with the daemon's settings as one JSON argument. It enters the namespace (-s) before opening any
// socket, writes its pid file (-r), and reacts to signals (child-lifecycle.ts): TERM/INT stop
// (priority 0, VIPs released unless -V), HUP re-reads the config and restarts the instances whose
// definition changed (and rebuilds trackers and notify settings when they changed), USR1/USR2 write the
// runtime's counters as JSON (KEEPALIVED_TS_STATS_FILE, default /tmp/keepalived-ts.stats.json).
import { writeFileSync } from 'node:fs';
import { createLogger, type Logger } from '../common/logger.js';
import { enterNetworkNamespace } from '../sys/interfaces.js';
import { instanceDefinitions } from '../vrrp/instance-config.js';
import { VrrpRuntime } from '../vrrp/runtime/runtime.js';
import { bindChildLifecycle } from './child-lifecycle.js';
import { ReloadableTracking } from './reloadable-tracking.js';
import { formatDiagnostics, loadDaemonConfig } from './config-loading.js';
import { applyVrrpProcessPriority } from './process-priority.js';
import type { DaemonSettings } from './daemon-settings.js';
import { removePidFile, writePidFile } from './pidfile.js';
import { CHECKER_SNAPSHOT_REQUEST, type CheckerSnapshot } from './checker-snapshot.js';
import { RelayClient } from './child-relay.js';
import { StatusService } from './status-service.js';

export const DEFAULT_STATS_FILE = '/tmp/keepalived-ts.stats.json';
/** A status request waits this long for the checker before answering without it. */
const CHECKER_SNAPSHOT_TIMEOUT_MS = 1500;

export function statsFilePath(): string {
  return process.env['KEEPALIVED_TS_STATS_FILE'] ?? DEFAULT_STATS_FILE;
}

async function runVrrpProcess(settings: DaemonSettings, logger: Logger): Promise<void> {
  if (settings.namespace !== undefined) enterNetworkNamespace(settings.namespace);
  const loaded = loadDaemonConfig(settings.configFile, settings.configId);
  if (!loaded.ok) {
    logger.error(`configuration has errors, VRRP not started:\n${formatDiagnostics(loaded.errors)}`);
    process.exit(1);
  }
  writePidFile(settings.vrrpPidFile);
  applyVrrpProcessPriority(loaded.config.global.settings, logger);
  const tracking = await ReloadableTracking.build(loaded.config, logger);
  const relay = new RelayClient();
  const runtime = await VrrpRuntime.start({
    instances: instanceDefinitions(loaded.config),
    logger,
    releaseOnStop: !settings.dontReleaseVrrp,
    ...tracking.runtimeOptions,
  });
  const status = await StatusService.start({ runtime, config: loaded.config, logger, initialTrackers: tracking.runtimeOptions.initialTrackers, statusSocket: settings.statusSocket, statusListen: settings.statusListen,
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
      logger.info(`Stopping VRRP (${reason})`);
      await runtime.stop();
      await status.close();
      await tracking.close();
      removePidFile(settings.vrrpPidFile);
    },
    reload: async () => {
      logger.info('Reloading configuration');
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
      status.configReloaded(next.config);
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
  }, (error) => logger.error({ err: error }, `VRRP process error: ${(error as Error).message}`));
  // A supervisor that died while we were starting closed the channel before anyone listened.
  if (!process.connected) process.kill(process.pid, 'SIGTERM');
}

const settings = JSON.parse(process.argv[2] ?? '{}') as DaemonSettings;
const logger = createLogger({
  pretty: settings.logConsole,
  level: settings.logDetail ? 'debug' : 'info',
  ...(settings.logFile === undefined ? {} : { file: settings.logFile }),
  bindings: { process: 'vrrp' },
});
runVrrpProcess(settings, logger).catch((error: unknown) => {
  logger.fatal({ err: error }, `VRRP process failed to start: ${(error as Error).message}`);
  removePidFile(settings.vrrpPidFile);
  // Give a pino transport a moment to flush before exiting.
  setTimeout(() => process.exit(1), 200);
});
