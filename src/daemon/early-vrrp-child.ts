// The VRRP child forked by bin/keepalived-ts before it loads the CLI: a foreground daemon start's
// first step, ahead of the CLI bundle's load and the config parse, which then overlap the child's
// own Node start (a cold start's critical path). Only when argv is, without doubt, a foreground
// daemon start that may run VRRP (the same decision as main.ts and daemon.ts, taken here from the
// flags alone); every other command runs as before. The daemon adopts the child
// (takeEarlyVrrpChild) or discards it if the config turns out to need no VRRP. The child is
// kept on globalThis because bin loads this module and the CLI bundle has its own copy of it.
import { reviewFlags } from '../cli/flag-support.js';
import { OPTIONS, parseOptions } from '../cli/options.js';
import { childEntryPath } from './child-entry.js';
import { daemonSettings, type DaemonSettings } from './daemon-settings.js';
import { EarlyChild } from './supervisor.js';
import { traceNodeBootstrap, traceStartup } from '../common/startup-trace.js';
import { CONFIG_FROM_PARENT } from './vrrp-config-handoff.js';
import { vrrpChildEnvironment } from './vrrp-child-environment.js';

export const VRRP_CHILD_ENTRY = 'vrrp-process.js';

const HELD = Symbol.for('keepalived-ts.early-vrrp-child');

interface Held {
  readonly settingsJson: string;
  readonly child: EarlyChild;
}

type GlobalWithChild = typeof globalThis & { [HELD]?: Held };

/** The VRRP child's arguments: the settings as JSON, plus the config-handoff flag on a first start. */
export function vrrpChildArgs(settings: DaemonSettings, firstStart: boolean): string[] {
  return [JSON.stringify(settings), ...(firstStart ? [CONFIG_FROM_PARENT] : [])];
}

/** Forks the VRRP child of a first start (its config comes from the parent over IPC). */
export function forkFirstVrrpChild(settings: DaemonSettings): EarlyChild {
  return new EarlyChild(childEntryPath(VRRP_CHILD_ENTRY), vrrpChildArgs(settings, true), vrrpChildEnvironment(process.env));
}

/** The daemon's settings if `argv` is a foreground (-n) daemon start that may run VRRP (not -C). */
export function foregroundVrrpStart(argv: readonly string[]): DaemonSettings | undefined {
  const first = argv[0];
  if (first === undefined || !first.startsWith('-') || first === '-T' || first === '--genhash') return undefined;
  const parsed = parseOptions(argv);
  if (!parsed.ok || parsed.positionals.length > 0) return undefined;
  const { options } = parsed;
  for (const mode of ['help', 'version', 'signum', 'genhash', 'configTest', 'dumpConf']) if (options[mode] !== undefined) return undefined;
  if (reviewFlags(options, (name) => OPTIONS.find((o) => o.name === name)?.long ?? name).refusal !== undefined) return undefined;
  const settings = daemonSettings(options);
  return settings.dontFork && !settings.checkOnly ? settings : undefined;
}

/** In bin/keepalived-ts, first thing: forks the VRRP child if argv is a foreground daemon start. */
export function startEarlyVrrpChild(argv: readonly string[]): void {
  const settings = foregroundVrrpStart(argv);
  if (settings === undefined) return;
  (globalThis as GlobalWithChild)[HELD] = { settingsJson: JSON.stringify(settings), child: forkFirstVrrpChild(settings) };
  traceNodeBootstrap();
  traceStartup('early-vrrp-child-forked');
}

/**
 * In the daemon: the child bin forked, if it was forked for these same settings (else it is
 * discarded: started from other settings, it must not run).
 */
export function takeEarlyVrrpChild(settings: DaemonSettings): EarlyChild | undefined {
  const held = (globalThis as GlobalWithChild)[HELD];
  delete (globalThis as GlobalWithChild)[HELD];
  if (held === undefined) return undefined;
  if (held.settingsJson === JSON.stringify(settings)) return held.child;
  held.child.discard();
  return undefined;
}
