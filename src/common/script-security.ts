// Whether a configured script may run: keepalived's script security (global_defs
// enable_script_security), as measured on keepalived 2.2.7 with scripts of every permission shape:
//
//   - a script that does not exist or cannot be executed by its user is disabled, with or without
//     script security ("cannot be accessed ... - disabling");
//   - a script run as root is unsafe when the file or any directory on its (symlink-resolved) path
//     is owned by a non-root user, or is group-writable with a non-root group, or is writable by
//     others; a directory with the sticky bit (/tmp) is exempt from the last two, since nobody else
//     can replace a root-owned file in it. With enable_script_security an unsafe script is disabled
//     ("Unsafe permissions found for script ... - disabling"); without it, it runs;
//   - a script run as any other user is not checked for writability.
//
// judgeScript is the pure decision over stat results; inspectScript is the fs shell around it.
import { realpath, stat } from 'node:fs/promises';
import { dirname } from 'node:path';

export interface PathEntry {
  readonly path: string;
  readonly uid: number;
  readonly gid: number;
  /** st_mode permission bits (and S_ISVTX); the file type comes from `directory`. */
  readonly mode: number;
  readonly directory: boolean;
}

export type ScriptRefusal = 'notFound' | 'notExecutable' | 'unsafe';

export type SecurityVerdict =
  | { readonly ok: true }
  | { readonly ok: false; readonly reason: ScriptRefusal; readonly message: string };

const S_ISVTX = 0o1000;
const S_IWGRP = 0o020;
const S_IWOTH = 0o002;

function canExecute(entry: PathEntry, uid: number, gid: number): boolean {
  if (uid === 0) return (entry.mode & 0o111) !== 0;
  if (entry.uid === uid) return (entry.mode & 0o100) !== 0;
  if (entry.gid === gid) return (entry.mode & 0o010) !== 0;
  return (entry.mode & 0o001) !== 0;
}

/** Why a root-run script at this path entry could be replaced by someone else; undefined if it cannot. */
export function unsafeReason(entry: PathEntry): string | undefined {
  if (entry.uid !== 0) return `${entry.path} is owned by uid ${entry.uid}`;
  const sticky = entry.directory && (entry.mode & S_ISVTX) !== 0;
  if (sticky) return undefined;
  if ((entry.mode & S_IWGRP) !== 0 && entry.gid !== 0) return `${entry.path} is writable by group ${entry.gid}`;
  if ((entry.mode & S_IWOTH) !== 0) return `${entry.path} is writable by others`;
  return undefined;
}

/**
 * `entries` are the path's directories from `/` down, then the script file itself (last).
 * The verdict is the same whether or not script security is enabled; what to do with an unsafe
 * one is the caller's policy (scriptPolicy).
 */
export function judgeScript(entries: readonly PathEntry[], runAs: { readonly uid: number; readonly gid: number }): SecurityVerdict {
  const file = entries[entries.length - 1];
  if (!file) return { ok: false, reason: 'notFound', message: 'no path' };
  for (const entry of entries.slice(0, -1)) {
    if (!canExecute(entry, runAs.uid, runAs.gid)) return { ok: false, reason: 'notExecutable', message: `${entry.path} cannot be searched by uid ${runAs.uid}` };
  }
  if (file.directory || !canExecute(file, runAs.uid, runAs.gid)) {
    return { ok: false, reason: 'notExecutable', message: `${file.path} is not executable by uid ${runAs.uid}` };
  }
  if (runAs.uid !== 0) return { ok: true };
  for (const entry of entries) {
    const reason = unsafeReason(entry);
    if (reason) return { ok: false, reason: 'unsafe', message: `unsafe permissions for a script run as root: ${reason}` };
  }
  return { ok: true };
}

export interface ScriptDecision {
  readonly run: boolean;
  readonly verdict: SecurityVerdict;
  /** A log line the caller should write once (refusal, or an unsafe script run anyway). */
  readonly message?: string;
}

/** What keepalived does with a verdict: refuse missing/unusable scripts, refuse unsafe ones only under enable_script_security. */
export function scriptPolicy(verdict: SecurityVerdict, enableScriptSecurity: boolean, scriptPath: string): ScriptDecision {
  if (verdict.ok) return { run: true, verdict };
  if (verdict.reason === 'unsafe' && !enableScriptSecurity) return { run: true, verdict, message: `script '${scriptPath}' runs although ${verdict.message}` };
  const what = verdict.reason === 'unsafe' ? 'unsafe permissions' : verdict.reason === 'notFound' ? 'not found' : 'not executable';
  return { run: false, verdict, message: `disabling script '${scriptPath}' (${what}): ${verdict.message}` };
}

/** The path's directories from `/` down to the file's own directory, then the file. */
export function pathChain(resolvedPath: string): string[] {
  const chain = [resolvedPath];
  let current = resolvedPath;
  while (dirname(current) !== current) {
    current = dirname(current);
    chain.unshift(current);
  }
  return chain;
}

/** Stats the script's symlink-resolved path (keepalived resolves symlinks unless use_symlink_paths) and judges it. */
export async function inspectScript(scriptPath: string, runAs: { readonly uid: number; readonly gid: number }): Promise<SecurityVerdict> {
  let resolved: string;
  try {
    resolved = await realpath(scriptPath);
  } catch (error) {
    return { ok: false, reason: 'notFound', message: `${scriptPath} cannot be accessed: ${(error as NodeJS.ErrnoException).code ?? String(error)}` };
  }
  const entries: PathEntry[] = [];
  for (const path of pathChain(resolved)) {
    try {
      const info = await stat(path);
      entries.push({ path, uid: info.uid, gid: info.gid, mode: info.mode & 0o7777, directory: info.isDirectory() });
    } catch (error) {
      return { ok: false, reason: 'notFound', message: `${path} cannot be accessed: ${(error as NodeJS.ErrnoException).code ?? String(error)}` };
    }
  }
  return judgeScript(entries, runAs);
}
