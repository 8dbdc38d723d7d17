// Script users: names resolved from passwd/group text, and keepalived's default user rules.
import { describe, expect, it } from 'vitest';
import { defaultIdentity, parseAccounts, resolveIdentity } from '../../src/common/script-user.js';

const accounts = parseAccounts(
  'root:x:0:0:root:/root:/bin/bash\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\nbroken line\nweb:x:1001:1001::/:/bin/sh\n',
  'root:x:0:\nnogroup:x:65534:\nwww:x:33:web\n',
);
const ROOT = { user: 'root', uid: 0, gid: 0 };

describe('resolveIdentity', () => {
  it('uses the primary group unless a group is named', () => {
    expect(resolveIdentity(accounts, 'web')).toEqual({ ok: true, identity: { user: 'web', uid: 1001, gid: 1001 } });
    expect(resolveIdentity(accounts, 'web', 'www')).toEqual({ ok: true, identity: { user: 'web', uid: 1001, gid: 33 } });
  });

  it('reports unknown users and groups', () => {
    expect(resolveIdentity(accounts, 'ghost')).toMatchObject({ ok: false });
    expect(resolveIdentity(accounts, 'web', 'ghosts')).toMatchObject({ ok: false });
  });
});

describe('defaultIdentity (measured on keepalived 2.2.7 without a keepalived_script user)', () => {
  it('takes global script_user first', () => {
    expect(defaultIdentity(accounts, { scriptUser: { user: 'nobody' }, enableScriptSecurity: true, self: ROOT })).toMatchObject({ ok: true, identity: { uid: 65534 } });
  });

  it('without script security falls back to root with the SECURITY VIOLATION warning', () => {
    const result = defaultIdentity(accounts, { enableScriptSecurity: false, self: ROOT });
    expect(result).toMatchObject({ ok: true, identity: { uid: 0 } });
    expect(result.ok && result.warning).toMatch(/SECURITY VIOLATION/);
  });

  it('with script security refuses to fall back to root', () => {
    expect(defaultIdentity(accounts, { enableScriptSecurity: true, self: ROOT })).toMatchObject({ ok: false });
  });

  it('prefers keepalived_script when it exists', () => {
    const withUser = parseAccounts('keepalived_script:x:990:990::/:/bin/false\n', '');
    expect(defaultIdentity(withUser, { enableScriptSecurity: true, self: ROOT })).toMatchObject({ ok: true, identity: { uid: 990, gid: 990 } });
  });
});
