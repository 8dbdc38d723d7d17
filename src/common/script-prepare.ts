// From a configured script setting (`"cmd args" [user [group]]`) to something ScriptRunner can
// run: escapes decoded and argv split (script-command.ts), the user resolved with keepalived's
// defaults (script-user.ts), the file checked by script security (script-security.ts). Done once
// per script when a config is loaded; a refused script is reported and left out, as keepalived
// disables it (instances then ignore the tracker that used it).
//
//   const accounts = readAccounts();
//   const prepared = await prepareScript({ command: '/etc/keepalived/chk.sh arg' }, { accounts, enableScriptSecurity: true, self });
//   if (prepared.ok) runner.run({ argv: prepared.argv, uid: prepared.identity.uid, gid: prepared.identity.gid });
import { access } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { decodeQuotedEscapes, splitCommandLine } from './script-command.js';
import { inspectScript, scriptPolicy } from './script-security.js';
import { defaultIdentity, resolveIdentity, type AccountDatabase, type ScriptIdentity } from './script-user.js';

export interface ScriptSetting {
  /** The command text as written between the config's double quotes (escapes not yet decoded). */
  readonly command: string;
  readonly user?: string;
  readonly group?: string;
}

export interface ScriptContext {
  readonly accounts: AccountDatabase;
  readonly enableScriptSecurity: boolean;
  /** global_defs script_user. */
  readonly scriptUser?: { readonly user: string; readonly group?: string };
  /** The daemon's own identity. */
  readonly self: ScriptIdentity;
  /** Where a command without a slash is looked up; default process.env.PATH. */
  readonly path?: string;
}

export type PreparedScript =
  | { readonly ok: true; readonly argv: readonly string[]; readonly identity: ScriptIdentity; readonly warnings: readonly string[] }
  | { readonly ok: false; readonly message: string };

export async function prepareScript(setting: ScriptSetting, context: ScriptContext): Promise<PreparedScript> {
  const split = splitCommandLine(decodeQuotedEscapes(setting.command));
  if (!split.ok) return { ok: false, message: split.message };
  const identity = setting.user !== undefined ? resolveIdentity(context.accounts, setting.user, setting.group) : defaultIdentity(context.accounts, context);
  if (!identity.ok) return { ok: false, message: identity.message };
  const warnings = identity.warning ? [identity.warning] : [];
  const [command, ...args] = split.argv;
  const file = command!.includes('/') ? command! : await searchPath(command!, context.path ?? process.env['PATH'] ?? '');
  if (file === undefined) return { ok: false, message: `script '${command}' not found in PATH` };
  const decision = scriptPolicy(await inspectScript(file, identity.identity), context.enableScriptSecurity, file);
  if (!decision.run) return { ok: false, message: decision.message ?? `script '${file}' refused` };
  if (decision.message) warnings.push(decision.message);
  return { ok: true, argv: [file, ...args], identity: identity.identity, warnings };
}

async function searchPath(name: string, path: string): Promise<string | undefined> {
  for (const dir of path.split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    try {
      await access(candidate);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}
