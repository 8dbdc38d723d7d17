// Checker options acted on in session 2: bind_if, fwmark, regex_options and offsets, UDP
// payloads written with spaces, and keepalived's default script user for MISC_CHECK.
import { describe, expect, it } from 'vitest';
import { checksFromConfig } from '../../src/check/from-config.js';
import { endpointOf, scopedAddress } from '../../src/check/connect-options.js';
import { judgeResponse } from '../../src/check/http.js';
import { regexFinds } from '../../src/check/regex-match.js';
import { regexOptions } from '../../src/config/values/regex-options.js';
import { scriptIds } from '../../src/check/script-identity.js';
import { parseAccounts } from '../../src/common/script-user.js';
import { loadConfigText } from '../../src/config/load.js';

const ROOT = { user: 'root', uid: 0, gid: 0 };
const passwd = (extra = '') => parseAccounts(`root:x:0:0::/root:/bin/sh\nnobody:x:65534:65534::/:/bin/false\n${extra}`, 'root:x:0:\nnogroup:x:65534:\nops:x:900:\n');

function load(text: string, extraPasswd = '') {
  const { config, diagnostics } = loadConfigText(text, 'test.conf', { system: null });
  return { diagnostics, ...checksFromConfig(config, { accounts: passwd(extraPasswd), resolveProgram: (p) => p, self: ROOT }) };
}

const server = (checker: string, global = '') => `${global}
virtual_server 10.0.0.1 80 {
  protocol TCP
  real_server 192.0.2.1 80 {
${checker}
  }
}
`;

const response = (body: string) => Buffer.from(`HTTP/1.0 200 OK\r\nContent-Length: ${body.length}\r\n\r\n${body}`, 'latin1');

describe('bind_if and fwmark', () => {
  it('are taken from the checker and no longer reported as not implemented', () => {
    const { servers, diagnostics } = load(server('    TCP_CHECK {\n      bindto fe80::1\n      bind_if eth1\n      fwmark 42\n    }'));
    expect(diagnostics.filter((d) => d.code === 'KTS_NOT_IMPLEMENTED')).toEqual([]);
    expect(servers[0]!.checks[0]!.spec).toMatchObject({ bindTo: 'fe80::1', bindInterface: 'eth1', fwmark: 42 });
  });
  it('scope a link-local source or destination with bind_if, and leave others alone', () => {
    expect(scopedAddress('fe80::1', 'eth1')).toBe('fe80::1%eth1');
    expect(scopedAddress('FEBF::1', 'eth1')).toBe('FEBF::1%eth1');
    expect(scopedAddress('fe80::1%eth0', 'eth1')).toBe('fe80::1%eth0');
    expect(scopedAddress('2001:db8::1', 'eth1')).toBe('2001:db8::1');
    expect(scopedAddress('10.0.0.1', 'eth1')).toBe('10.0.0.1');
    expect(scopedAddress('fe80::1', undefined)).toBe('fe80::1');
    const endpoint = endpointOf({ connectTimeoutMs: 1000, bindTo: 'fe80::1', bindInterface: 'v0', fwmark: 7 }, { id: 'x', address: 'fe80::2', port: 80 });
    expect(endpoint).toEqual({ host: 'fe80::2%v0', port: 80, localAddress: 'fe80::1%v0', fwmark: 7 });
  });
});

describe('regex_options and offsets', () => {
  it('map PCRE2 options to RegExp flags, and name those JavaScript cannot honour', () => {
    expect(regexOptions(['caseless', 'multiline', 'dotall', 'utf', 'no_start_optimize'])).toEqual({ flags: 'imsu', unsupported: [], unknown: [] });
    expect(regexOptions(['ungreedy', 'extended', 'bogus'])).toEqual({ flags: '', unsupported: ['ungreedy', 'extended'], unknown: ['bogus'] });
  });
  it('bound where a match may start', () => {
    expect(regexFinds(/ok/, 'ok......ok', 1)).toBe(true);
    expect(regexFinds(/ok/, 'ok........', 1)).toBe(false);
    expect(regexFinds(/ok/, '....ok', 0, 3)).toBe(false);
    expect(regexFinds(/ok/, '...ok', 0, 3)).toBe(true);
  });
  it('apply to the HTTP body: caseless, no_match, min offset', () => {
    expect(judgeResponse({ path: '/', regex: 'STATUS: UP' }, response('status: up')).ok).toBe(false);
    expect(judgeResponse({ path: '/', regex: 'STATUS: UP', regexFlags: 'i' }, response('status: up')).ok).toBe(true);
    expect(judgeResponse({ path: '/', regex: 'error', regexNoMatch: true }, response('all fine')).ok).toBe(true);
    expect(judgeResponse({ path: '/', regex: 'up', regexMinOffset: 3 }, response('up down')).ok).toBe(false);
  });
  it('reach the spec from the config, with a problem for an option we cannot honour', () => {
    const { servers, problems, diagnostics } = load(
      server('    HTTP_GET {\n      url {\n        path /\n        regex "up"\n        regex_options caseless ungreedy\n        regex_min_offset 2\n        regex_max_offset 90\n        regex_stack 32768 65536\n      }\n    }'),
    );
    expect(diagnostics.filter((d) => d.code === 'KTS_NOT_IMPLEMENTED')).toEqual([]);
    expect(servers[0]!.checks[0]!.spec).toMatchObject({ urls: [{ regex: 'up', regexFlags: 'i', regexMinOffset: 2, regexMaxOffset: 90 }] });
    expect(problems.map((p) => p.message)).toEqual(['regex_options ungreedy: no JavaScript RegExp equivalent; the regex runs without it']);
  });
});

describe('regex diagnostics of the config check', () => {
  const url = (lines: string) => server(`    HTTP_GET {\n      url {\n        path /\n${lines}\n      }\n    }`);
  const regexDiagnostics = (lines: string) => load(url(lines)).diagnostics.filter((d) => d.code.startsWith('KTS_REGEX')).map((d) => `${d.code} ${d.message}`);
  it('names regex_options JavaScript cannot honour', () => {
    expect(regexDiagnostics('        regex "up"\n        regex_options caseless firstline')).toEqual([
      'KTS_REGEX_OPTION_UNSUPPORTED regex_options firstline has no JavaScript RegExp equivalent; the regex runs without it',
    ]);
  });
  it('says when a PCRE2 regex does not compile in JavaScript, or uses escapes JavaScript reads as letters', () => {
    expect(regexDiagnostics('        regex "a++"')).toEqual(['KTS_REGEX_NOT_JAVASCRIPT regex "a++" does not compile as a JavaScript RegExp; this checker is disabled']);
    expect(regexDiagnostics('        regex "\\Aok\\z"')).toEqual([
      'KTS_REGEX_NOT_JAVASCRIPT regex "\\\\Aok\\\\z": \\A \\z are PCRE2 escapes that JavaScript reads as something else (mostly the plain letter)',
    ]);
    expect(regexDiagnostics('        regex "^ok\\s+$"')).toEqual([]);
  });
});

describe('UDP_CHECK payload', () => {
  it('takes a hex string written with spaces', () => {
    const { servers, diagnostics } = load(server('    UDP_CHECK {\n      payload 01 02 0a0b c\n      require_reply 0X ff\n    }'));
    expect(diagnostics.filter((d) => d.severity !== 'info' && d.code !== 'KTS_VS_DEFAULTED')).toEqual([]);
    const spec = servers[0]!.checks[0]!.spec;
    expect(spec.kind === 'UDP_CHECK' && Buffer.from(spec.payload!).toString('hex')).toBe('01020a0b0c');
    expect(spec).toMatchObject({ requireReply: { pattern: [0, null, 15, 15] } });
  });
});

describe('default script user', () => {
  const misc = '    MISC_CHECK {\n      misc_path "/bin/check arg"\n    }';
  it('is global script_user first', () => {
    const { servers } = load(server(misc, 'global_defs {\n  script_user nobody\n}\n'), 'keepalived_script:x:990:990::/:/bin/false\n');
    expect(servers[0]!.checks[0]!.spec).toMatchObject({ uid: 65534, gid: 65534 });
  });
  it('then keepalived_script when that user exists', () => {
    const { servers } = load(server(misc), 'keepalived_script:x:990:990::/:/bin/false\n');
    expect(servers[0]!.checks[0]!.spec).toMatchObject({ uid: 990, gid: 990 });
  });
  it('then root (our own identity: no uid change)', () => {
    const spec = load(server(misc)).servers[0]!.checks[0]!.spec;
    expect(spec).not.toHaveProperty('uid');
  });
  it('is refused under enable_script_security without script_user or keepalived_script', () => {
    const { servers, problems } = load(server(misc, 'global_defs {\n  enable_script_security\n}\n'));
    expect(servers[0]!.checks).toEqual([]);
    expect(problems[0]!.message).toMatch(/keepalived_script' does not exist/);
  });
  it('resolves notify scripts the same way, with `user group` given on the line', () => {
    const global = { enableScriptSecurity: false };
    expect(scriptIds(passwd(), global, { user: 'nobody', group: 'ops' }, ROOT)).toEqual({ ok: true, uid: 65534, gid: 900 });
    expect(scriptIds(passwd(), global, { user: 'nobody:ops' }, ROOT)).toEqual({ ok: true, uid: 65534, gid: 900 });
    expect(scriptIds(passwd(), { ...global, scriptUser: { user: 'nobody' } }, {}, ROOT)).toEqual({ ok: true, uid: 65534, gid: 65534 });
    expect(scriptIds(passwd(), global, { user: 'ghost' }, ROOT)).toMatchObject({ ok: false });
  });
});
