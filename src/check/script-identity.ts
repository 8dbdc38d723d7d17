// Who the checker process's scripts run as (MISC_CHECK misc_path, real_server notify_up /
// notify_down, virtual_server quorum_up / quorum_down): the script's own `user [group]`, else
// keepalived's default (global script_user, else keepalived_script if it exists, else root; see
// common/script-user.ts). Ids equal to our own are left out: the script then runs as we do.
import { userInfo } from 'node:os';
import type { GlobalDefs } from '../config/model.js';
import { defaultIdentity, resolveIdentity, type AccountDatabase, type ScriptIdentity } from '../common/script-user.js';

export type ScriptIds = { readonly ok: true; readonly uid?: number; readonly gid?: number; readonly warning?: string } | { readonly ok: false; readonly message: string };

export function selfIdentity(): ScriptIdentity {
  const self = userInfo();
  return { user: self.username, uid: self.uid, gid: self.gid };
}

/** The uid/gid to run a script as, given its `user [group]` (user may be "name:group"). */
export function scriptIds(
  accounts: AccountDatabase,
  global: Pick<GlobalDefs, 'scriptUser' | 'enableScriptSecurity'>,
  script: { readonly user?: string | undefined; readonly group?: string | undefined },
  self: ScriptIdentity = selfIdentity(),
): ScriptIds {
  const [user, group] = script.user === undefined ? [undefined, undefined] : [script.user.split(':')[0]!, script.group ?? script.user.split(':')[1]];
  const found =
    user !== undefined
      ? resolveIdentity(accounts, user, group || undefined)
      : defaultIdentity(accounts, { ...(global.scriptUser ? { scriptUser: global.scriptUser } : {}), enableScriptSecurity: global.enableScriptSecurity, self });
  if (!found.ok) return found;
  const { uid, gid } = found.identity;
  return {
    ok: true,
    ...(uid === self.uid && gid === self.gid ? {} : { uid, gid }),
    ...(found.warning !== undefined ? { warning: found.warning } : {}),
  };
}
