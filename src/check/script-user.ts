// Resolves a MISC_CHECK `user name [group]` to uid/gid from /etc/passwd and /etc/group (Node has
// no getpwnam). The group defaults to the user's primary group, as keepalived does.
import { readFileSync } from 'node:fs';

export interface UserIds {
  readonly uid: number;
  readonly gid: number;
}

export type UserLookup = { ok: true; ids: UserIds } | { ok: false; reason: string };

/** Pure: looks `user` (and `group`) up in passwd/group file contents; numeric ids are taken as given. */
export function resolveUserIds(user: string, group: string | undefined, passwd: string, groups: string): UserLookup {
  const entry = (text: string, name: string): string[] | undefined =>
    text.split('\n').map((line) => line.split(':')).find((fields) => fields[0] === name);
  const userFields = entry(passwd, user);
  const uid = userFields ? Number(userFields[2]) : /^\d+$/.test(user) ? Number(user) : NaN;
  if (!Number.isInteger(uid)) return { ok: false, reason: `unknown user ${user}` };
  let gid: number;
  if (group !== undefined) {
    const groupFields = entry(groups, group);
    gid = groupFields ? Number(groupFields[2]) : /^\d+$/.test(group) ? Number(group) : NaN;
    if (!Number.isInteger(gid)) return { ok: false, reason: `unknown group ${group}` };
  } else {
    gid = userFields ? Number(userFields[3]) : uid;
    if (!Number.isInteger(gid)) return { ok: false, reason: `no primary group for ${user}` };
  }
  return { ok: true, ids: { uid, gid } };
}

export function lookupUserIds(user: string, group?: string): UserLookup {
  const read = (path: string): string => {
    try {
      return readFileSync(path, 'utf8');
    } catch {
      return '';
    }
  };
  return resolveUserIds(user, group, read('/etc/passwd'), read('/etc/group'));
}
