// global_defs startup_script / shutdown_script `SCRIPT [user [:][group]]` with *_script_timeout
// (seconds, default 10): run by the parent once, before any child starts and after every child has
// stopped. Measured on keepalived 2.2.7: the parent waits for the script (the VRRP child starts
// only after it), a failing script is logged with its status and start-up goes on, a script still
// running at the timeout is killed and logged as timed out; shutdown_script runs after the VRRP
// child has sent priority 0 and removed its VIPs. The script is prepared as every other script
// (user resolution, script security). A stop while the startup script runs kills it at once
// (keepalived 2.2.7, measured: the script SIGTERMed, the shutdown script still run; ours signals
// the script's process group, so what the script started goes too). Never throws: every outcome
// is logged.
import { userInfo } from 'node:os';
import type { Logger } from '../common/logger.js';
import { prepareScript } from '../common/script-prepare.js';
import { describeOutcome, ScriptRunner } from '../common/script-runner.js';
import { readAccounts } from '../common/script-user.js';
import type { Config, Settings } from '../config/model.js';

const DEFAULT_TIMEOUT_SECONDS = 10;

function words(value: Settings[string] | undefined): string[] {
  if (Array.isArray(value)) return value.map(String);
  if (typeof value === 'string') return [value];
  return [];
}

/** A lifecycle script run: `done` settles when it is over, `stop` kills it (or keeps it from starting). */
export interface LifecycleScriptRun {
  readonly done: Promise<void>;
  stop(): void;
}

/** Starts the startup or shutdown script of `config`, if it has one. */
export function startLifecycleScript(which: 'startup' | 'shutdown', config: Config, logger: Logger): LifecycleScriptRun {
  let stopped = false;
  let kill: (() => void) | undefined;
  const done = runLifecycleScript(which, config, logger, {
    stopped: () => stopped,
    started: (killScript) => { kill = killScript; },
  });
  return { done, stop: () => { stopped = true; kill?.(); } };
}

interface StopControl {
  stopped(): boolean;
  started(kill: () => void): void;
}

async function runLifecycleScript(which: 'startup' | 'shutdown', config: Config, logger: Logger, control: StopControl): Promise<void> {
  const settings = config.global.settings;
  const [command, user, group] = words(settings[`${which}_script`]);
  if (command === undefined) return;
  const timeout = settings[`${which}_script_timeout`];
  const timeoutMs = (typeof timeout === 'number' ? timeout : DEFAULT_TIMEOUT_SECONDS) * 1000;
  try {
    const prepared = await prepareScript(
      { command, ...(user !== undefined ? { user } : {}), ...(group !== undefined ? { group: group.replace(/^:/, '') } : {}) },
      {
        accounts: readAccounts(),
        enableScriptSecurity: config.global.enableScriptSecurity,
        ...(config.global.scriptUser === undefined ? {} : { scriptUser: config.global.scriptUser }),
        self: { user: userInfo().username, uid: process.getuid?.() ?? 0, gid: process.getgid?.() ?? 0 },
      },
    );
    if (!prepared.ok) {
      logger.error(`${which} script not run: ${prepared.message}`);
      return;
    }
    for (const warning of prepared.warnings) logger.warn(`${which} script: ${warning}`);
    if (control.stopped()) return;
    logger.info(`Running ${which} script ${prepared.argv[0]}`);
    const run = new ScriptRunner().start({ argv: prepared.argv, uid: prepared.identity.uid, gid: prepared.identity.gid, timeoutMs });
    control.started(() => run.kill('SIGTERM'));
    const outcome = await run.outcome;
    if (control.stopped()) logger.info(`${which} script killed: the daemon is stopping`);
    else if (outcome.kind === 'exited' && outcome.code === 0) logger.info(`${which} script succeeded`);
    else if (outcome.kind === 'timedOut') logger.warn(`${which} script timed out after ${timeoutMs / 1000} s (killed)`);
    else logger.warn(`${which} script failed: ${describeOutcome(outcome)}`);
  } catch (error) {
    logger.error(`${which} script: ${(error as Error).message}`);
  }
}
