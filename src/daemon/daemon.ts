// The daemon's parent process, as keepalived's: validates the config, decides which children it
// needs (VRRP for vrrp_instances unless -C, the checker process for virtual_servers unless -P), writes its pid file (-p), starts the
// children under the Supervisor (respawned unless -R), forwards HUP/USR1/USR2, and on TERM/INT
// stops them and exits 0. Without -n it detaches first, like keepalived: a copy of itself runs
// in the background with -n, and the foreground process returns 0 once that copy's pid file exists.
// Only what forking the early VRRP child needs is imported statically: the config pipeline and the
// logger load after that fork, so the child's Node start overlaps them (a cold start's critical path).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { Diagnostic } from '../config/diagnostics.js';
import { enterNetworkNamespace } from '../sys/interfaces.js';
import type { Config } from '../config/model.js';
import { childEntryPath } from './child-entry.js';
import type { DaemonSettings } from './daemon-settings.js';
import type { LifecycleScriptRun } from './lifecycle-scripts.js';
import { forkFirstVrrpChild, takeEarlyVrrpChild, VRRP_CHILD_ENTRY, vrrpChildArgs } from './early-vrrp-child.js';
import { CONFIG_FROM_PARENT, type ConfigFromParent } from './vrrp-config-handoff.js';
import { vrrpChildEnvironment } from './vrrp-child-environment.js';
import { livePidIn, removePidFile, writePidFile } from './pidfile.js';
import { type EarlyChild, FORWARDED_SIGNALS, Supervisor } from './supervisor.js';
import { traceStartup } from '../common/startup-trace.js';

export const EXIT_NOT_IMPLEMENTED = 2;
export const EXIT_CONFIG_ERRORS = 1;
const DETACH_WAIT_MS = 10_000;

export interface DaemonIo {
  readonly stderr: NodeJS.WritableStream;
  /** The arguments the daemon was started with (re-used to start the detached copy). */
  readonly argv: readonly string[];
}

/** Whether this kernel has IPVS (the checker process cannot run without it). */
async function ipvsProblem(): Promise<string | undefined> {
  try {
    // Loaded only here: a VRRP-only daemon's parent never needs the IPVS modules (a cold start's cost).
    const { IpvsClient } = await import('../ipvs/client.js');
    (await IpvsClient.open()).close();
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

export async function runDaemon(settings: DaemonSettings, io: DaemonIo): Promise<number> {
  // The VRRP child starts now (bin/keepalived-ts may already have started it), while this process
  // parses the config (it waits for the result): dropped again if the config has errors or no VRRP
  // to run. It enters the namespace (-s) itself.
  const earlyVrrp = takeEarlyVrrpChild(settings) ?? (settings.dontFork && !settings.checkOnly ? forkFirstVrrpChild(settings) : undefined);
  traceStartup('vrrp-child-forked');
  try {
    if (settings.namespace !== undefined) enterNetworkNamespace(settings.namespace);
  } catch (error) {
    earlyVrrp?.discard();
    io.stderr.write(`keepalived-ts: cannot enter network namespace ${settings.namespace}: ${(error as Error).message}\n`);
    return 1;
  }
  const prepared = await prepareDaemon(settings, io);
  traceStartup('config-parsed');
  if (typeof prepared === 'number' || !prepared.wanted.vrrp) earlyVrrp?.discard();
  if (typeof prepared === 'number') return prepared;
  const early = prepared.wanted.vrrp && earlyVrrp !== undefined ? new Map([['vrrp', earlyVrrp]]) : undefined;
  return runSupervisor(settings, prepared.wanted, prepared.config, prepared.warnings, early);
}

interface PreparedDaemon {
  readonly wanted: { readonly vrrp: boolean; readonly checkers: boolean };
  readonly config: Config;
  readonly warnings: readonly Diagnostic[];
}

/** Config and the children it needs, or an exit code (errors, nothing to run, detached). */
async function prepareDaemon(settings: DaemonSettings, io: DaemonIo): Promise<PreparedDaemon | number> {
  const { formatDiagnostics, loadDaemonConfig } = await import('./config-loading.js');
  const loaded = loadDaemonConfig(settings.configFile, settings.configId);
  if (!loaded.ok) {
    io.stderr.write(`keepalived-ts: ${settings.configFile} has errors:\n${formatDiagnostics(loaded.errors)}\n`);
    return EXIT_CONFIG_ERRORS;
  }
  const { config } = loaded;
  const wantsVrrp = config.vrrpInstances.length > 0 && !settings.checkOnly;
  let wantsCheckers = config.virtualServers.length > 0 && !settings.vrrpOnly;
  if (!wantsVrrp && !wantsCheckers) {
    io.stderr.write(`keepalived-ts: ${settings.checkOnly ? '-C: the configuration has no virtual_server' : 'the configuration has no vrrp_instance or virtual_server'}: nothing to run\n`);
    return EXIT_NOT_IMPLEMENTED;
  }
  const noIpvs = wantsCheckers ? await ipvsProblem() : undefined;
  if (noIpvs !== undefined) {
    io.stderr.write(`keepalived-ts: the checker process cannot run: ${noIpvs}${wantsVrrp ? '; running VRRP only' : ''}\n`);
    if (!wantsVrrp) return EXIT_NOT_IMPLEMENTED;
    wantsCheckers = false;
  }
  if (!settings.dontFork) return detach(settings, io);
  return { wanted: { vrrp: wantsVrrp, checkers: wantsCheckers }, config: loaded.config, warnings: loaded.warnings };
}

/** Starts `argv -n` in the background and waits for its pid file. */
async function detach(settings: DaemonSettings, io: DaemonIo): Promise<number> {
  const child = spawn(process.execPath, [...process.execArgv, ...io.argv, '-n'], { detached: true, stdio: 'ignore' });
  child.unref();
  const deadline = Date.now() + DETACH_WAIT_MS;
  while (Date.now() < deadline) {
    if (existsSync(settings.parentPidFile) && livePidIn(settings.parentPidFile) === child.pid) return 0;
    if (child.exitCode !== null) break;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  io.stderr.write(`keepalived-ts: the background daemon did not start (pid file ${settings.parentPidFile})\n`);
  return 1;
}

async function runSupervisor(
  settings: DaemonSettings,
  wanted: PreparedDaemon['wanted'],
  config: Config,
  warnings: readonly Diagnostic[],
  earlyChildren: ReadonlyMap<string, EarlyChild> | undefined,
): Promise<number> {
  const [{ createLogger }, { formatDiagnostic }, { formatDiagnostics, loadDaemonConfig }] = await Promise.all([
    import('../common/logger.js'),
    import('../config/diagnostics.js'),
    import('./config-loading.js'),
  ]);
  const logger = createLogger({
    pretty: settings.logConsole,
    level: settings.logDetail ? 'debug' : 'info',
    ...(settings.logFile === undefined ? {} : { file: settings.logFile }),
    bindings: { process: 'parent' },
  });
  writePidFile(settings.parentPidFile);
  for (const warning of warnings) logger.warn(formatDiagnostic(warning));
  logger.info(`Starting keepalived-ts, config ${settings.configFile}`);
  const supervisor = new Supervisor({
    children: [
      ...(wanted.vrrp ? [{
        role: 'vrrp',
        modulePath: childEntryPath(VRRP_CHILD_ENTRY),
        args: vrrpChildArgs(settings, false),
        env: vrrpChildEnvironment(process.env),
        firstStart: { args: [CONFIG_FROM_PARENT], message: { config } satisfies ConfigFromParent },
      }] : []),
      // The checker child reads the fields of CheckChildSettings from the same JSON.
      // Without a VRRP process, the checker serves the status endpoint itself (serveStatus).
      ...(wanted.checkers ? [{ role: 'check', modulePath: childEntryPath('check-process-main.js'), args: [JSON.stringify({ ...settings, serveStatus: !wanted.vrrp })] }] : []),
    ],
    respawn: !settings.dontRespawn,
    logger,
    ...(earlyChildren === undefined ? {} : { earlyChildren }),
  });
  // Loaded only when configured: nothing of it is on the usual start path.
  const lifecycleScript = (which: 'startup' | 'shutdown'): Promise<LifecycleScriptRun> | undefined => (config.global.settings[`${which}_script`] === undefined
    ? undefined
    : import('./lifecycle-scripts.js').then((m) => m.startLifecycleScript(which, config, logger)));
  let started = false;
  let stopping = false;
  let startupRun: LifecycleScriptRun | undefined;
  return new Promise((resolve) => {
    const stop = (signal: string): void => {
      // A second TERM/INT while stopping changes nothing (keepalived 2.2.7 likewise exits cleanly).
      if (stopping) return;
      stopping = true;
      // Children first, log after: their priority-0 adverts are what the backups wait for.
      const stopped = supervisor.stop();
      if (!started) for (const early of earlyChildren?.values() ?? []) early.discard();
      startupRun?.stop();
      logger.info(`Stopping (${signal})`);
      void stopped.then(async () => {
        // Also after a stop during the startup script (keepalived 2.2.7 does, measured).
        await (await lifecycleScript('shutdown'))?.done;
        removePidFile(settings.parentPidFile);
        logger.info('Stopped');
        resolve(0);
      });
    };
    // `on`, not `once`: with no listener left, Node's default action would kill this process on a
    // second signal, leaving the pid file and the children's shutdown behind.
    process.on('SIGTERM', () => stop('SIGTERM'));
    process.on('SIGINT', () => stop('SIGINT'));
    process.on('SIGHUP', () => {
      // The new config is validated here first: a broken one never reaches the children.
      const next = loadDaemonConfig(settings.configFile, settings.configId);
      if (!next.ok) {
        logger.error(`reload refused, ${settings.configFile} has errors (still running the old one):\n${formatDiagnostics(next.errors)}`);
        return;
      }
      supervisor.forward('SIGHUP');
    });
    for (const signal of FORWARDED_SIGNALS) if (signal !== 'SIGHUP') process.on(signal, () => supervisor.forward(signal));
    // Children start once every handler is in place (a TERM during start-up still stops them), and
    // after the startup_script, which keepalived also waits for.
    const startChildren = (): void => {
      if (stopping) return;
      started = true;
      supervisor.start();
    };
    const startup = lifecycleScript('startup');
    if (startup) {
      void startup.then((run) => {
        startupRun = run;
        if (stopping) run.stop();
        return run.done;
      }).then(startChildren);
    }
    else startChildren();
  });
}
