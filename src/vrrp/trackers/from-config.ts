// The typed Config (../../config/model.ts) turned into trackers and notifications, in two steps:
//   planTracking(config)   pure: which trackers exist, which instances track each one with what
//                          weight, which scripts notify what; keepalived's rules applied here;
//   buildTracking(plan, …) the shell: prepares every script (escapes, argv, user, script security),
//                          creates the trackers, the TrackerSet, the notify FIFOs and the Notifier.
// keepalived's rules (keepalived.conf(5), measured on 2.2.7 where noted):
//   - only tracked objects run: a vrrp_script no instance or group tracks is never started;
//   - a track_* line without a weight takes the object's own weight and reverse (vrrp_script and
//     vrrp_track_process default 0, track_file 1, track_interface 0);
//   - a sync group member ignores a tracker with a non-zero weight unless the group has
//     sync_group_tracking_weight (measured: "ignoring tracked script f with weights due to SYNC
//     group", and the script is not run); so does an address owner (priority 255);
//   - a sync group's own track_* lines apply to each of its members;
//   - a script that cannot be prepared (unknown user, refused by script security, missing) is
//     reported and left out: instances then do without that tracker, as keepalived does;
//   - notify_fifo and vrrp_notify_fifo both receive the VRRP lines; a *_fifo_script is started
//     with the FIFO's path as its last argument and stopped (SIGTERM to its group) at close.
//
// Wiring in the VRRP process:
//   const { config } = loadConfig(file);
//   const plan = planTracking(config);
//   const built = await buildTracking(plan, { runner, context, sink: (i, s) => runtime.updateTracker(i, s),
//                                             linkEvents, listLinks });
//   for (const p of [...plan.problems, ...built.problems]) log.warn(p);
//   runtime: instances start with built.trackers.statusesOf(name); onTransition → built.notifier.instanceTransition(...)
//   built.trackers.start(); built.scanner?.start();  ...  at stop: built.close()
import type { Config, ScriptCommand, Settings, TrackedSpec, VrrpInstance, VrrpSyncGroup } from '../../config/model.js';
import { prepareScript, type ScriptContext, type ScriptSetting } from '../../common/script-prepare.js';
import { resolveIdentity } from '../../common/script-user.js';
import { ScriptRunner, type ScriptRun } from '../../common/script-runner.js';
import type { Link } from '../../netlink/route/index.js';
import { NotifyFifo } from '../notify-fifo.js';
import { Notifier, type NotifyScript, type NotifyScripts } from '../notify.js';
import { FileTracker } from './file-tracker.js';
import { InterfaceTracker, type LinkEventSource } from './interface-tracker.js';
import type { ParamMatch, ProcessSpec } from './process-match.js';
import { matchesCommandLine } from './process-match.js';
import { ProcessScanner, ProcessTracker } from './process-tracker.js';
import { ScriptTracker } from './script-tracker.js';
import type { TrackingLink } from './tracker.js';
import { TrackerSet, type TrackerSink } from './tracking.js';

export interface ScriptPlan {
  readonly name: string;
  readonly script: ScriptSetting;
  readonly intervalMs: number;
  readonly timeoutMs: number;
  readonly rise: number;
  readonly fall: number;
  readonly initFail: boolean;
  readonly links: readonly TrackingLink[];
}

export interface InterfacePlan {
  readonly name: string;
  readonly links: readonly TrackingLink[];
}

export interface FilePlan {
  readonly name: string;
  readonly path: string;
  readonly initFile?: { readonly value: number; readonly overwrite: boolean };
  readonly links: readonly TrackingLink[];
}

export interface ProcessPlan {
  readonly name: string;
  readonly spec: ProcessSpec;
  readonly forkDelayMs: number;
  readonly terminateDelayMs: number;
  readonly links: readonly TrackingLink[];
}

export interface FifoPlan {
  readonly path: string;
  /** `notify_fifo PATH [user [group]]`: who owns the FIFO. */
  readonly owner?: { readonly user: string; readonly group?: string };
  /** notify_fifo_script / vrrp_notify_fifo_script: started with the FIFO's path as last argument. */
  readonly script?: ScriptSetting;
}

/** The notify settings of one instance or group, scripts not yet prepared. */
export type NotifySettings = { readonly [K in keyof NotifyScripts]?: ScriptSetting };

export interface TrackingPlan {
  readonly scripts: readonly ScriptPlan[];
  readonly interfaces: readonly InterfacePlan[];
  readonly files: readonly FilePlan[];
  readonly processes: readonly ProcessPlan[];
  readonly notify: {
    readonly instances: ReadonlyMap<string, NotifySettings>;
    readonly groups: ReadonlyMap<string, NotifySettings>;
    /** notify_fifo and vrrp_notify_fifo, each with its *_fifo_script reader when one is given. */
    readonly fifos: readonly FifoPlan[];
    /** Instances whose effective priority changes are written to the FIFOs (notify_priority_changes). */
    readonly priorityChanges: ReadonlySet<string>;
  };
  /** Trackers left out and why, for the log. */
  readonly problems: readonly string[];
}

const OWNER_PRIORITY = 255;

type Kind = 'script' | 'interface' | 'file' | 'process';

interface TrackedObject {
  readonly weight: number;
  readonly reverse: boolean;
}

export function planTracking(config: Config): TrackingPlan {
  const problems: string[] = [];
  const defaults: Record<Kind, Map<string, TrackedObject>> = {
    script: new Map(config.vrrpScripts.map((s) => [s.name, { weight: s.weight, reverse: s.weightReverse }])),
    file: new Map(config.trackFiles.map((f) => [f.name, { weight: f.weight, reverse: f.weightReverse }])),
    process: new Map(config.trackProcesses.map((p) => [p.name, weightSetting(p.settings['weight'])])),
    interface: new Map(),
  };
  const links: Record<Kind, Map<string, TrackingLink[]>> = { script: new Map(), interface: new Map(), file: new Map(), process: new Map() };
  const groupOf = new Map<string, VrrpSyncGroup>();
  for (const group of config.vrrpSyncGroups) for (const member of group.members) groupOf.set(member, group);

  /** `group`: the line is a sync group's own, which its members follow whatever the weight. */
  const link = (kind: Kind, line: TrackedSpec, instance: VrrpInstance, via: string, group?: VrrpSyncGroup) => {
    const own = kind === 'interface' ? { weight: 0, reverse: false } : defaults[kind].get(line.name);
    if (!own) {
      problems.push(`(${instance.name}) ${via} ${line.name} is not defined - ignoring`);
      return;
    }
    const weight = line.weight ?? own.weight;
    const reverse = line.weight !== undefined ? line.reverse : own.reverse;
    const memberOf = groupOf.get(instance.name);
    if (weight !== 0 && !group && memberOf && !('sync_group_tracking_weight' in memberOf.settings)) {
      problems.push(`(${instance.name}) ignoring ${via} ${line.name} with weights due to sync group ${memberOf.name}`);
      return;
    }
    if (weight !== 0 && instance.priority >= OWNER_PRIORITY) {
      problems.push(`(${instance.name}) ignoring ${via} ${line.name} with a weight: the address owner keeps priority 255`);
      return;
    }
    const list = links[kind].get(line.name) ?? [];
    list.push({ instance: instance.name, weight, reverse });
    links[kind].set(line.name, list);
  };

  const instances = new Map(config.vrrpInstances.map((i) => [i.name, i]));
  for (const instance of config.vrrpInstances) {
    for (const line of instance.trackScripts) link('script', line, instance, 'track_script');
    for (const line of instance.trackInterfaces) link('interface', line, instance, 'track_interface');
    for (const line of instance.trackFiles) link('file', line, instance, 'track_file');
    for (const line of instance.trackProcesses) link('process', line, instance, 'track_process');
  }
  for (const group of config.vrrpSyncGroups) {
    const members = group.members.map((m) => instances.get(m)).filter((i): i is VrrpInstance => i !== undefined);
    const lines: [Kind, string][] = [['script', 'track_script'], ['interface', 'track_interface'], ['file', 'track_file'], ['process', 'track_process']];
    for (const [kind, keyword] of lines) {
      for (const line of trackedLines(group.settings[keyword])) for (const member of members) link(kind, line, member, `sync group ${group.name} ${keyword}`, group);
    }
  }

  const scripts: ScriptPlan[] = [];
  for (const s of config.vrrpScripts) {
    const tracked = links.script.get(s.name);
    if (!tracked) continue;
    if (!s.script) {
      problems.push(`vrrp_script ${s.name} has no script - ignoring`);
      continue;
    }
    const [user, group] = wordList(s.settings['user']);
    const intervalMs = Math.round(s.interval * 1000);
    scripts.push({
      name: s.name,
      script: { command: s.script.command, ...(user !== undefined ? { user } : {}), ...(group !== undefined ? { group: group.replace(/^:/, '') } : {}) },
      intervalMs,
      timeoutMs: s.timeout !== undefined ? Math.round(s.timeout * 1000) : intervalMs,
      rise: s.rise,
      fall: s.fall,
      initFail: s.initFail,
      links: tracked,
    });
  }

  const files: FilePlan[] = [];
  for (const f of config.trackFiles) {
    const tracked = links.file.get(f.name);
    if (!tracked) continue;
    if (!f.file) {
      problems.push(`track_file ${f.name} has no file - ignoring`);
      continue;
    }
    const initFile = initFileSetting(f.settings['init_file']);
    files.push({ name: f.name, path: f.file, ...(initFile ? { initFile } : {}), links: tracked });
  }

  const processes: ProcessPlan[] = [];
  for (const p of config.trackProcesses) {
    const tracked = links.process.get(p.name);
    if (!tracked) continue;
    const command = wordList(p.settings['process']);
    if (command.length === 0) {
      problems.push(`vrrp_track_process ${p.name} has no process - ignoring`);
      continue;
    }
    processes.push({ name: p.name, spec: processSpec(command, p.settings), ...processDelays(p.settings), links: tracked });
  }

  const interfaces = [...links.interface].map(([name, tracked]) => ({ name, links: tracked }));

  return {
    scripts,
    interfaces,
    files,
    processes,
    notify: {
      instances: new Map(config.vrrpInstances.map((i) => [i.name, notifySettings(i.notify, i.settings)])),
      groups: new Map(config.vrrpSyncGroups.map((g) => [g.name, notifySettings(g.notify, g.settings)])),
      fifos: ['notify_fifo', 'vrrp_notify_fifo'].flatMap((key) => fifoPlan(config.global.settings, key)),
      priorityChanges: priorityChangeReporters(config),
    },
    problems,
  };
}

/**
 * notify_priority_changes of the instance, else of its sync group, else global
 * vrrp_notify_priority_changes. Measured on keepalived 2.2.7: the group's keyword makes its members
 * write MASTER_PRIORITY / BACKUP_PRIORITY lines, the group itself writes none.
 */
function priorityChangeReporters(config: Config): Set<string> {
  const groupOf = new Map<string, Settings>();
  for (const group of config.vrrpSyncGroups) for (const member of group.members) groupOf.set(member, group.settings);
  const everywhere = config.global.settings['vrrp_notify_priority_changes'] === true;
  const reporters = new Set<string>();
  for (const instance of config.vrrpInstances) {
    const own = instance.settings['notify_priority_changes'] ?? groupOf.get(instance.name)?.['notify_priority_changes'];
    if (own === undefined ? everywhere : own === true) reporters.add(instance.name);
  }
  return reporters;
}

function wordList(value: Settings[string] | undefined): string[] {
  if (Array.isArray(value)) return value.map(String);
  if (typeof value === 'string') return [value];
  return [];
}

function fifoPlan(settings: Settings, key: string): FifoPlan[] {
  const [path, owner, ownerGroup] = wordList(settings[key]);
  if (path === undefined) return [];
  const [command, user, group] = wordList(settings[`${key}_script`]);
  return [{
    path,
    ...(owner !== undefined ? { owner: { user: owner, ...(ownerGroup !== undefined ? { group: ownerGroup } : {}) } } : {}),
    ...(command !== undefined ? { script: { command, ...(user !== undefined ? { user } : {}), ...(group !== undefined ? { group: group.replace(/^:/, '') } : {}) } } : {}),
  }];
}

function trackedLines(value: Settings[string] | undefined): TrackedSpec[] {
  if (!Array.isArray(value)) return [];
  return value.filter((v): v is TrackedSpec => typeof v === 'object' && v !== null && typeof (v as TrackedSpec).name === 'string');
}

function weightSetting(value: Settings[string] | undefined): TrackedObject {
  const [weight, direction] = wordList(value);
  const n = Number(weight);
  return { weight: Number.isInteger(n) ? n : 0, reverse: direction === 'reverse' };
}

/** `init_file [VALUE] [overwrite]`. */
function initFileSetting(value: Settings[string] | undefined): FilePlan['initFile'] {
  if (value === undefined) return undefined;
  const words = wordList(value);
  const number = words.find((w) => /^[+-]?\d+$/.test(w));
  return { value: number !== undefined ? Number(number) : 0, overwrite: words.includes('overwrite') };
}

function processSpec(command: readonly string[], settings: Settings): ProcessSpec {
  const paramMatch = settings['param_match'];
  const quorum = typeof settings['quorum'] === 'number' ? settings['quorum'] : 1;
  const quorumMax = typeof settings['quorum_max'] === 'number' ? settings['quorum_max'] : Infinity;
  return {
    command,
    ...(paramMatch === 'partial' || paramMatch === 'initial' ? { paramMatch: paramMatch as ParamMatch } : {}),
    fullCommand: 'full_command' in settings,
    quorum,
    quorumMax,
  };
}

function processDelays(settings: Settings): { forkDelayMs: number; terminateDelayMs: number } {
  const seconds = (key: string) => (typeof settings[key] === 'number' ? (settings[key] as number) : undefined);
  const both = seconds('delay') ?? 0;
  return { forkDelayMs: Math.round((seconds('fork_delay') ?? both) * 1000), terminateDelayMs: Math.round((seconds('terminate_delay') ?? both) * 1000) };
}

function scriptSetting(command: ScriptCommand | undefined): ScriptSetting | undefined {
  if (!command) return undefined;
  return { command: command.command, ...(command.user !== undefined ? { user: command.user } : {}), ...(command.group !== undefined ? { group: command.group } : {}) };
}

function notifySettings(notify: VrrpInstance['notify'], settings: Settings): NotifySettings {
  const [rxCommand, rxUser, rxGroup] = wordList(settings['notify_master_rx_lower_pri']);
  const [deletedCommand, deletedUser, deletedGroup] = wordList(settings['notify_deleted']);
  const out: { -readonly [K in keyof NotifyScripts]?: ScriptSetting } = {};
  const entries: [keyof NotifyScripts, ScriptSetting | undefined][] = [
    ['master', scriptSetting(notify.master)],
    ['backup', scriptSetting(notify.backup)],
    ['fault', scriptSetting(notify.fault)],
    ['stop', scriptSetting(notify.stop)],
    ['any', scriptSetting(notify.any)],
    ['deleted', deletedCommand !== undefined ? { command: deletedCommand, ...(deletedUser !== undefined ? { user: deletedUser.replace(/^:/, '') } : {}), ...(deletedGroup !== undefined ? { group: deletedGroup.replace(/^:/, '') } : {}) } : undefined],
    ['masterRxLowerPri', rxCommand !== undefined ? { command: rxCommand, ...(rxUser !== undefined ? { user: rxUser.replace(/^:/, '') } : {}), ...(rxGroup !== undefined ? { group: rxGroup.replace(/^:/, '') } : {}) } : undefined],
  ];
  for (const [key, value] of entries) if (value) out[key] = value;
  return out;
}

export interface TrackingDependencies {
  readonly runner: ScriptRunner;
  readonly context: ScriptContext;
  readonly sink: TrackerSink;
  /** Needed when the plan has interfaces. */
  readonly linkEvents?: LinkEventSource;
  readonly listLinks?: () => Promise<readonly Link[]>;
  /** track_process poll interval; default 1000 ms. */
  readonly processPollMs?: number;
}

export interface BuiltTracking {
  readonly trackers: TrackerSet;
  readonly notifier: Notifier;
  /** Shared /proc scanner when there are process trackers (start it after trackers.start()). */
  readonly scanner?: ProcessScanner;
  readonly fifos: readonly NotifyFifo[];
  /** Scripts and FIFOs left out, and warnings about scripts that run anyway. */
  readonly problems: readonly string[];
  /** Stops the trackers and the scanner, closes the FIFOs. */
  close(): Promise<void>;
}

export async function buildTracking(plan: TrackingPlan, deps: TrackingDependencies): Promise<BuiltTracking> {
  const problems: string[] = [];
  const prepare = async (what: string, setting: ScriptSetting): Promise<NotifyScript | undefined> => {
    const prepared = await prepareScript(setting, deps.context);
    if (!prepared.ok) {
      problems.push(`${what}: ${prepared.message} - disabling`);
      return undefined;
    }
    for (const warning of prepared.warnings) problems.push(`${what}: ${warning}`);
    return { argv: prepared.argv, identity: { uid: prepared.identity.uid, gid: prepared.identity.gid } };
  };

  const trackers = new TrackerSet(deps.sink);
  for (const s of plan.scripts) {
    const script = await prepare(`vrrp_script ${s.name}`, s.script);
    if (!script) continue;
    trackers.add(
      new ScriptTracker({ name: s.name, argv: script.argv, ...(script.identity ? { identity: script.identity } : {}), intervalMs: s.intervalMs, timeoutMs: s.timeoutMs, rise: s.rise, fall: s.fall, initFail: s.initFail, runner: deps.runner }),
      s.links,
    );
  }
  for (const i of plan.interfaces) {
    if (!deps.linkEvents || !deps.listLinks) {
      problems.push(`track_interface ${i.name}: no link events to follow - ignoring`);
      continue;
    }
    trackers.add(new InterfaceTracker({ name: i.name, events: deps.linkEvents, listLinks: deps.listLinks }), i.links);
  }
  for (const f of plan.files) trackers.add(new FileTracker({ name: f.name, path: f.path, ...(f.initFile ? { initFile: f.initFile } : {}) }), f.links);
  let scanner: ProcessScanner | undefined;
  if (plan.processes.length > 0) {
    scanner = new ProcessScanner({ pollMs: deps.processPollMs ?? 1000, readCommandLines: plan.processes.some((p) => matchesCommandLine(p.spec)) });
    for (const p of plan.processes) trackers.add(new ProcessTracker({ name: p.name, spec: p.spec, scanner, forkDelayMs: p.forkDelayMs, terminateDelayMs: p.terminateDelayMs }), p.links);
  }

  const prepareAll = async (kind: string, settings: ReadonlyMap<string, NotifySettings>) => {
    const prepared = new Map<string, NotifyScripts>();
    for (const [name, notify] of settings) {
      const scripts: { -readonly [K in keyof NotifyScripts]?: NotifyScript } = {};
      for (const [key, setting] of Object.entries(notify) as [keyof NotifyScripts, ScriptSetting][]) {
        const script = await prepare(`${kind} ${name} ${key}`, setting);
        if (script) scripts[key] = script;
      }
      if (Object.keys(scripts).length > 0) prepared.set(name, scripts);
    }
    return prepared;
  };
  const fifos: NotifyFifo[] = [];
  // FIFO readers run for as long as the FIFO: a runner of their own keeps them out of the shared slots.
  const readerRunner = new ScriptRunner();
  const readers: ScriptRun[] = [];
  for (const { path, owner, script } of plan.notify.fifos) {
    const ids = owner && resolveIdentity(deps.context.accounts, owner.user, owner.group);
    if (ids && !ids.ok) problems.push(`notify FIFO ${path}: ${ids.message} - left to root`);
    try {
      fifos.push(await NotifyFifo.open(path, ids?.ok ? { owner: ids.identity } : {}));
    } catch (error) {
      problems.push(`notify FIFO ${path}: ${(error as Error).message} - ignoring`);
      continue;
    }
    const reader = script && (await prepare(`notify FIFO ${path} script`, script));
    if (reader) readers.push(readerRunner.start({ argv: [...reader.argv, path], ...(reader.identity ? { uid: reader.identity.uid, gid: reader.identity.gid } : {}) }));
  }
  const notifier = new Notifier({
    runner: deps.runner,
    fifos,
    instances: await prepareAll('vrrp_instance', plan.notify.instances),
    groups: await prepareAll('vrrp_sync_group', plan.notify.groups),
    priorityChanges: plan.notify.priorityChanges,
  });

  return {
    trackers,
    notifier,
    ...(scanner ? { scanner } : {}),
    fifos,
    problems,
    async close() {
      trackers.stop();
      scanner?.stop();
      for (const reader of readers) reader.kill('SIGTERM');
      await Promise.all(readers.map((r) => r.exited));
      await Promise.all(fifos.map((f) => f.close()));
    },
  };
}
