// Who a script runs as: keepalived's `script_user` / per-script `user [group]` resolved to numeric
// ids from /etc/passwd and /etc/group (Node has no getpwnam). Parsing is pure; reading the two
// files is the thin shell. keepalived's defaults (keepalived.conf(5), measured on 2.2.7):
//   - no user given: global script_user, else `keepalived_script` when that user exists, else the
//     daemon's own user (root) with a "SECURITY VIOLATION" warning when enable_script_security is off;
//   - with enable_script_security and neither script_user nor keepalived_script, the script cannot
//     get a user and is removed ("Unable to set default user ... - removing"), and instances that
//     tracked it ignore it;
//   - no group given: the user's primary group; supplementary groups are not set (the child gets
//     setgroups(0) from libuv when uid/gid are given, which matches keepalived's default).
import { readFileSync } from 'node:fs';

export interface ScriptIdentity {
  readonly user: string;
  readonly uid: number;
  readonly gid: number;
}

export interface AccountDatabase {
  readonly users: ReadonlyMap<string, { readonly uid: number; readonly gid: number }>;
  readonly groups: ReadonlyMap<string, number>;
}

/** Parses passwd(5) and group(5) text; malformed lines are skipped. */
export function parseAccounts(passwd: string, group: string): AccountDatabase {
  const users = new Map<string, { uid: number; gid: number }>();
  for (const line of passwd.split('\n')) {
    const [name, , uid, gid] = line.split(':');
    if (!name || uid === undefined || gid === undefined || !/^\d+$/.test(uid) || !/^\d+$/.test(gid)) continue;
    if (!users.has(name)) users.set(name, { uid: Number(uid), gid: Number(gid) });
  }
  const groups = new Map<string, number>();
  for (const line of group.split('\n')) {
    const [name, , gid] = line.split(':');
    if (!name || gid === undefined || !/^\d+$/.test(gid)) continue;
    if (!groups.has(name)) groups.set(name, Number(gid));
  }
  return { users, groups };
}

export function readAccounts(passwdPath = '/etc/passwd', groupPath = '/etc/group'): AccountDatabase {
  return parseAccounts(readFileSync(passwdPath, 'utf8'), readFileSync(groupPath, 'utf8'));
}

export type IdentityResult =
  | { readonly ok: true; readonly identity: ScriptIdentity; readonly warning?: string }
  | { readonly ok: false; readonly message: string };

/** `user [group]` → ids; the group defaults to the user's primary group. Numeric names are ids. */
export function resolveIdentity(accounts: AccountDatabase, user: string, group?: string): IdentityResult {
  const entry = accounts.users.get(user) ?? (/^\d+$/.test(user) ? { uid: Number(user), gid: Number(user) } : undefined);
  if (!entry) return { ok: false, message: `script user '${user}' does not exist` };
  let gid = entry.gid;
  if (group !== undefined && group !== '') {
    const named = accounts.groups.get(group) ?? (/^\d+$/.test(group) ? Number(group) : undefined);
    if (named === undefined) return { ok: false, message: `script group '${group}' does not exist` };
    gid = named;
  }
  return { ok: true, identity: { user, uid: entry.uid, gid } };
}

export const DEFAULT_SCRIPT_USER = 'keepalived_script';

export interface DefaultUserSettings {
  /** global_defs script_user. */
  readonly scriptUser?: { readonly user: string; readonly group?: string };
  readonly enableScriptSecurity: boolean;
  /** The daemon's own identity (root for a real daemon). */
  readonly self: ScriptIdentity;
}

/** The identity of a script configured without a user, following keepalived's defaults above. */
export function defaultIdentity(accounts: AccountDatabase, settings: DefaultUserSettings): IdentityResult {
  if (settings.scriptUser) return resolveIdentity(accounts, settings.scriptUser.user, settings.scriptUser.group);
  const fallback = resolveIdentity(accounts, DEFAULT_SCRIPT_USER);
  if (fallback.ok) return fallback;
  if (settings.enableScriptSecurity) {
    return { ok: false, message: `script user '${DEFAULT_SCRIPT_USER}' does not exist and enable_script_security forbids running scripts as '${settings.self.user}'` };
  }
  return settings.self.uid === 0
    ? { ok: true, identity: settings.self, warning: 'SECURITY VIOLATION - scripts are being executed but script_security not enabled' }
    : { ok: true, identity: settings.self };
}
