// The `keepalived-ts ipvs` command as an operator runs it (a real process, stdin and exit
// codes) inside the IPVS guest. Few spawns: a node start costs ~0.4 s there.
import { spawnSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { IpvsadmShell } from './ipvs-helpers.js';

const shell = new IpvsadmShell();
const ipvsadm = (args: readonly string[], input?: string) => shell.ok(args, input);

function keepalivedTs(args: readonly string[], input = '') {
  const result = spawnSync(process.execPath, ['bin/keepalived-ts', 'ipvs', ...args], { input, encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const RULES = `-A -t 10.40.0.1:80 -s wrr -p 300
-a -t 10.40.0.1:80 -r 10.40.0.2:80 -m -w 3
-a -t 10.40.0.1:80 -r 10.40.0.3:80 -i -w 1 --tun-type gue --tun-port 6080 --tun-csum
-A -f 7 -6 -s mh -b mh-port
-a -f 7 -6 -r [2001:db8:40::2]:0 -g -w 1
`;

afterAll(async () => {
  await ipvsadm(['-C']);
  shell.close();
});

describe('keepalived-ts ipvs', () => {
  it('restores an ipvsadm-save file from stdin and lists it as ipvsadm does', async () => {
    await ipvsadm(['-C']);
    expect(keepalivedTs(['restore'], RULES)).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(await ipvsadm(['-Sn'])).toBe(RULES);
    expect(keepalivedTs(['list', '-n']).stdout).toBe(await ipvsadm(['-Ln']));
  });

  it('rejects a malformed restore with line numbers and applies nothing', async () => {
    const before = await ipvsadm(['-Sn']);
    const result = keepalivedTs(['restore'], '-A -t 10.41.0.1:80 -s rr\n-a -t 10.41.0.1:80 -r 10.41.0.2 -w heavy\n-A -t 10.41.0.3:80 -q\n');
    expect(result.code).toBe(1);
    expect(result.stderr).toBe([
      "keepalived-ts ipvs restore: line 2: weight 'heavy' is not a number",
      "keepalived-ts ipvs restore: line 3: unknown option '-q'",
      'keepalived-ts ipvs restore: nothing applied (2 bad lines)',
      '',
    ].join('\n'));
    expect(await ipvsadm(['-Sn'])).toBe(before);
  });

  it('flushes the table', async () => {
    expect(keepalivedTs(['flush']).code).toBe(0);
    expect(await ipvsadm(['-Sn'])).toBe('');
  });
});
