// Checks of the Config against the machine it would run on, as keepalived makes them at
// startup: interfaces exist in the running network namespace (/sys/class/net), and scripts
// obey script security (enable_script_security, script_user, no root scripts writable by others).
// The system is reached through the small SystemView interface so tests can use a fake.
import { accessSync, constants, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Config, ScriptCommand } from './model.js';
import type { DiagnosticSink } from './schema/check.js';
import type { SourceLocation } from './tree.js';

export interface FileOwnership {
  readonly uid: number;
  readonly gid: number;
  readonly mode: number;
}

export interface SystemView {
  interfaceExists(name: string): boolean;
  isLoopback(name: string): boolean;
  /** Absolute path of an executable (PATH search for bare names), or undefined. */
  findExecutable(command: string): string | undefined;
  stat(path: string): FileOwnership | undefined;
  /** uid of a user name (or numeric id), undefined when there is no such user. */
  userId(user: string): number | undefined;
}

export const liveSystem: SystemView = {
  interfaceExists: (name) => exists(join('/sys/class/net', name)),
  isLoopback: (name) => readText(join('/sys/class/net', name, 'type'))?.trim() === '772', // ARPHRD_LOOPBACK
  findExecutable(command) {
    const candidates = command.includes('/') ? [command] : (process.env['PATH'] ?? '/usr/sbin:/usr/bin:/sbin:/bin').split(':').map((dir) => join(dir, command));
    return candidates.find((path) => {
      try {
        accessSync(path, constants.X_OK);
        return statSync(path).isFile();
      } catch {
        return false;
      }
    });
  },
  stat(path) {
    try {
      const s = statSync(path);
      return { uid: s.uid, gid: s.gid, mode: s.mode };
    } catch {
      return undefined;
    }
  },
  userId(user) {
    if (/^\d+$/.test(user)) return Number(user);
    const line = readText('/etc/passwd')?.split('\n').find((l) => l.split(':')[0] === user);
    return line === undefined ? undefined : Number(line.split(':')[2]);
  },
};

function exists(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch {
    return false;
  }
}

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

export function validateSystem(config: Config, system: SystemView, sink: DiagnosticSink): void {
  const cached = memoized(system);
  checkInterfaces(config, cached, sink);
  checkScripts(config, cached, sink);
}

/** Large configs name the same few interfaces and users thousands of times: ask the system once. */
function memoized(system: SystemView): SystemView {
  const remember = <T>(lookup: (key: string) => T): ((key: string) => T) => {
    const answers = new Map<string, T>();
    return (key) => {
      if (!answers.has(key)) answers.set(key, lookup(key));
      return answers.get(key) as T;
    };
  };
  return {
    interfaceExists: remember((name) => system.interfaceExists(name)),
    isLoopback: remember((name) => system.isLoopback(name)),
    findExecutable: remember((command) => system.findExecutable(command)),
    stat: remember((path) => system.stat(path)),
    userId: remember((user) => system.userId(user)),
  };
}

function checkInterfaces(config: Config, system: SystemView, sink: DiagnosticSink): void {
  for (const address of config.staticAddresses) {
    if (address.dev !== undefined && !system.interfaceExists(address.dev)) {
      sink.report('KTS_INTERFACE_MISSING', address.loc, `interface ${address.dev} for static address ${address.address}/${address.prefixLength} doesn't exist`);
    }
  }
  for (const instance of config.vrrpInstances) {
    const name = instance.interface;
    if (name === undefined) continue;
    if (!system.interfaceExists(name)) {
      sink.report('KTS_INTERFACE_MISSING', instance.loc, `interface ${name} for vrrp_instance ${instance.name} doesn't exist`, 'check `ip link`, or set dynamic_interfaces');
    } else if (system.isLoopback(name)) {
      sink.report('KTS_INTERFACE_LOOPBACK', instance.loc, `(${instance.name}) cannot use loopback interface ${name} for VRRP`);
    }
    for (const addresses of [instance.virtualAddresses, instance.excludedAddresses]) {
      for (const address of addresses) {
        if (address.dev !== undefined && !system.interfaceExists(address.dev)) {
          sink.report('KTS_INTERFACE_MISSING', address.loc, `interface ${address.dev} for ip address ${address.address}/${address.prefixLength} doesn't exist`);
        }
      }
    }
    for (const tracked of instance.trackInterfaces) {
      if (!system.interfaceExists(tracked.name)) sink.report('KTS_INTERFACE_MISSING', instance.loc, `(${instance.name}) tracked interface ${tracked.name} doesn't exist`);
    }
  }
}

interface ScriptUse {
  readonly script: ScriptCommand;
  /** keepalived reports a missing vrrp_script program, but drops notify/checker ones silently. */
  readonly reportMissing: boolean;
}

/**
 * Every script keepalived would run, with the user it names (if any). vrrp_scripts count, used
 * or not, whenever the VRRP process has instances to run.
 */
function scriptsOf(config: Config): ScriptUse[] {
  const uses: ScriptUse[] = [];
  if (config.vrrpInstances.length > 0) {
    for (const s of config.vrrpScripts) if (s.script) uses.push({ script: withUser(s.script, s.settings['user']), reportMissing: true });
  }
  // Loops rather than flatMap: a large config has tens of thousands of real servers and checkers.
  const other = (script: ScriptCommand | undefined) => {
    if (script !== undefined) uses.push({ script, reportMissing: false });
  };
  const notify = (n: { master?: ScriptCommand; backup?: ScriptCommand; fault?: ScriptCommand; stop?: ScriptCommand; any?: ScriptCommand }) => {
    other(n.master);
    other(n.backup);
    other(n.fault);
    other(n.stop);
    other(n.any);
  };
  for (const instance of config.vrrpInstances) notify(instance.notify);
  for (const group of config.vrrpSyncGroups) notify(group.notify);
  for (const vs of config.virtualServers) {
    other(vs.quorumUp);
    other(vs.quorumDown);
    for (const rs of vs.realServers) {
      other(rs.notifyUp);
      other(rs.notifyDown);
      for (const checker of rs.checkers) if (checker.miscPath) other(withUser(checker.miscPath, checker.settings['user']));
    }
  }
  return uses;
}

function withUser(command: ScriptCommand, user: unknown): ScriptCommand {
  if (!Array.isArray(user)) return command;
  const [name, group] = user as string[];
  return { ...command, ...(name !== undefined && { user: name }), ...(group !== undefined && { group: group.replace(/^:/, '') }) };
}

function checkScripts(config: Config, system: SystemView, sink: DiagnosticSink): void {
  let securityReported = false;
  for (const { script, reportMissing } of scriptsOf(config)) {
    const program = script.command.trim().split(/\s+/)[0] ?? '';
    const path = system.findExecutable(program);
    if (!path) {
      if (reportMissing) sink.report('KTS_VRRP_SCRIPT_NOT_FOUND', script.loc, `script '${program}' not found or not executable; the vrrp_script is disabled`);
      else sink.report('KTS_SCRIPT_NOT_FOUND', script.loc, `script '${program}' not found or not executable; keepalived drops it`);
      continue;
    }
    if (!config.global.enableScriptSecurity) {
      if (!securityReported) {
        sink.report('KTS_SCRIPT_SECURITY', script.loc, 'scripts are configured but enable_script_security is not set', 'add `enable_script_security` (and `script_user`) to global_defs');
        securityReported = true;
      }
      continue;
    }
    const user = script.user ?? config.global.scriptUser?.user ?? 'keepalived_script';
    const uid = system.userId(user);
    if (uid === undefined) {
      sink.report('KTS_SCRIPT_USER_UNKNOWN', script.loc, `unable to run script as user ${user}: no such user; the script is removed`, 'create the user or set script_user');
      continue;
    }
    if (uid === 0) checkRootScript(path, system, sink, script.loc);
  }
}

/**
 * Whether a non-root user can change this path: owned by one, group-writable with a non-root
 * group, or world-writable (a root-owned sticky directory such as /tmp does not count, since
 * others cannot replace root's files in it). Measured against keepalived 2.2.7.
 */
function writableByNonRoot(owner: FileOwnership, isDirectory: boolean): boolean {
  if (owner.uid !== 0) return true;
  if ((owner.mode & 0o020) !== 0 && owner.gid !== 0) return true;
  return (owner.mode & 0o002) !== 0 && !(isDirectory && (owner.mode & 0o1000) !== 0);
}

/** A root script is unsafe when it, or any directory above it, can be changed by a non-root user. */
function checkRootScript(path: string, system: SystemView, sink: DiagnosticSink, loc: SourceLocation): void {
  for (let current = path; ; current = dirname(current)) {
    const owner = system.stat(current);
    if (owner && writableByNonRoot(owner, current !== path)) {
      sink.report('KTS_SCRIPT_INSECURE', loc, `unsafe permissions on ${current} for script ${path} run as root; the script is removed`, 'make it and its directories owned by root and not group/world-writable');
      return;
    }
    if (current === dirname(current)) return;
  }
}
