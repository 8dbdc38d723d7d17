// The checker child process as a module to fork or run: `node dist/daemon/check-process-main.js
// SETTINGS_JSON` (the supervisor passes the daemon's settings as one JSON argument, as it does to
// the VRRP child) or, to run it alone in the foreground, `... -f CONF [-i ID] [-I] [-l] [-D] [-p PIDFILE]`.
// TERM/INT stop it (IPVS entries removed unless -I), HUP reloads, USR1/USR2 write its stats as
// JSON to KEEPALIVED_TS_CHECK_STATS_FILE (default /tmp/keepalived-ts.check-stats.json). It answers
// the VRRP process' snapshot requests (child-relay.ts), and serves /status and /metrics itself
// when the supervisor runs no VRRP process.
import { listenForEarlySignals } from './early-signals.js';
import { writeFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createLogger, type Logger } from '../common/logger.js';
import { enterNetworkNamespace } from '../sys/interfaces.js';
import { bindChildLifecycle } from './child-lifecycle.js';
import { runCheckProcess, type CheckProcess } from './check-process.js';
import { CHECKER_SNAPSHOT_REQUEST } from './checker-snapshot.js';
import { ownedFilePath } from './ipvs-owned-file.js';
import { RelayClient } from './child-relay.js';
import { removePidFile, writePidFile } from './pidfile.js';
import { applyCheckerProcessPriority } from './process-priority.js';
import type { StatusService } from './status-service.js';

/** The part of the daemon's settings the checker process reads. */
export interface CheckChildSettings {
  readonly configFile: string;
  readonly configId?: string;
  readonly namespace?: string;
  readonly checkersPidFile?: string;
  readonly logConsole?: boolean;
  readonly logDetail?: boolean;
  readonly logFile?: string;
  /** -I */
  readonly dontReleaseIpvs?: boolean;
  /** Set by the supervisor when there is no VRRP process: this process serves /status and /metrics. */
  readonly serveStatus?: boolean;
  readonly statusSocket?: string;
  readonly statusListen?: string;
}

export const DEFAULT_CHECK_STATS_FILE = '/tmp/keepalived-ts.check-stats.json';

/** Settings from `SETTINGS_JSON` or from `-f CONF [-i ID] [-I] [-l] [-D] [-p PIDFILE]`. */
function parseCheckChildArgs(args: readonly string[]): CheckChildSettings {
  if (args[0]?.startsWith('{')) return JSON.parse(args[0]) as CheckChildSettings;
  let configFile = '/etc/keepalived/keepalived.conf';
  let checkersPidFile: string | undefined;
  let configId: string | undefined;
  for (let i = 0; i < args.length; i++) {
    if ((args[i] === '-f' || args[i] === '--use-file') && args[i + 1] !== undefined) configFile = args[++i]!;
    else if ((args[i] === '-p' || args[i] === '--checkers_pid') && args[i + 1] !== undefined) checkersPidFile = args[++i]!;
    else if ((args[i] === '-i' || args[i] === '--config-id') && args[i + 1] !== undefined) configId = args[++i]!;
  }
  return {
    configFile,
    ...(configId !== undefined && { configId }),
    ...(checkersPidFile !== undefined && { checkersPidFile }),
    dontReleaseIpvs: args.includes('-I') || args.includes('--dont-release-ipvs'),
    logConsole: args.includes('-l'),
    logDetail: args.includes('-D'),
  };
}

async function main(settings: CheckChildSettings): Promise<void> {
  const logger = createLogger({
    pretty: settings.logConsole === true,
    level: settings.logDetail ? 'debug' : 'info',
    ...(settings.logFile === undefined ? {} : { file: settings.logFile }),
    bindings: { process: 'checker' },
  });
  if (settings.namespace !== undefined) enterNetworkNamespace(settings.namespace);
  const checker = await runCheckProcess({
    configFile: settings.configFile,
    ...(settings.configId === undefined ? {} : { configId: settings.configId }),
    logger,
    keepIpvsOnStop: settings.dontReleaseIpvs === true,
    ...(settings.checkersPidFile === undefined ? {} : { ownedStateFile: ownedFilePath(settings.checkersPidFile) }),
  }).catch((error: unknown) => {
    logger.fatal(`Checker process failed to start: ${(error as Error).message}`);
    setTimeout(() => process.exit(1), 200);
    return undefined;
  });
  if (!checker) return;
  if (settings.checkersPidFile) writePidFile(settings.checkersPidFile);
  applyCheckerProcessPriority(checker.config.global.settings, logger);
  // With no checker configured nothing else keeps the event loop alive, and the process would exit
  // right after programming IPVS, leaving its entries behind with no one to remove them on TERM.
  // Like keepalived, the checker stays up until it is told to stop.
  const stayUp = setInterval(() => {}, 0x7fffffff);
  // The VRRP process asks for the snapshot it shows at /status and /metrics.
  new RelayClient().serve(async (body) => (body === CHECKER_SNAPSHOT_REQUEST ? checker.snapshot() : undefined));
  const status = settings.serveStatus ? await startOwnStatus(settings, checker, logger) : undefined;
  const dump = (): void => {
    const file = process.env['KEEPALIVED_TS_CHECK_STATS_FILE'] ?? DEFAULT_CHECK_STATS_FILE;
    try {
      writeFileSync(file, JSON.stringify({ pid: process.pid, at: new Date().toISOString(), ...checker.stats() }, null, 2));
    } catch (error) {
      logger.error(`cannot write ${file}: ${(error as Error).message}`);
    }
  };
  bindChildLifecycle({
    stop: async (reason) => {
      logger.info(`Stopping checkers (${reason})`);
      clearInterval(stayUp);
      await status?.close();
      await checker.stop();
      if (settings.checkersPidFile) removePidFile(settings.checkersPidFile);
    },
    reload: async () => {
      await checker.reload();
    },
    dumpState: dump,
    dumpStats: dump,
  }, (error) => logger.error(`Checker process error: ${(error as Error).message}`), earlySignals);
}

/**
 * Without a VRRP process the endpoint is served here: no instances, the checker's own loop lag.
 * Loaded only then: the HTTP server and prom-client would slow every checker's start (~1 s more
 * in the TCG guest).
 */
async function startOwnStatus(settings: CheckChildSettings, checker: CheckProcess, logger: Logger): Promise<StatusService> {
  const { StatusService } = await import('./status-service.js');
  const delay = monitorEventLoopDelay({ resolution: 20 });
  delay.enable();
  const ms = (ns: number): number => ns / 1e6;
  return StatusService.start({
    runtime: { stats: () => ({ instances: {}, sockets: {}, loopLag: { p50Ms: ms(delay.percentile(50)), p99Ms: ms(delay.percentile(99)), maxMs: ms(delay.max) } }) },
    config: checker.config,
    logger,
    statusSocket: settings.statusSocket,
    statusListen: settings.statusListen,
    checkerSnapshot: () => checker.snapshot(),
  });
}

// First of all: a signal from now on is caught (early-signals.ts); a TERM while IPVS is being
// programmed stops the checker once it is, removing the entries.
const earlySignals = listenForEarlySignals();
void main(parseCheckChildArgs(process.argv.slice(2)));
