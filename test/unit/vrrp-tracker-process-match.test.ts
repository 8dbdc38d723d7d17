// Which processes a vrrp_track_process counts (keepalived.conf(5) "VRRP track processes").
import { describe, expect, it } from 'vitest';
import { parseCmdline, parseProcStat, processMatches, quorumMet, type ProcessSpec } from '../../src/vrrp/trackers/process-match.js';

const spec = (command: string[], over: Partial<ProcessSpec> = {}): ProcessSpec => ({ command, fullCommand: false, quorum: 1, quorumMax: Infinity, ...over });
const proc = (comm: string, argv?: string[], state = 'S') => ({ pid: 1, comm, state, ...(argv ? { argv } : {}) });

describe('processMatches', () => {
  it('matches the name exactly, not as a pattern (ssh does not match sshd)', () => {
    expect(processMatches(spec(['ssh']), proc('ssh'))).toBe(true);
    expect(processMatches(spec(['ssh']), proc('sshd'))).toBe(false);
  });

  it('compares a long name cut to 15 characters as the kernel keeps it', () => {
    expect(processMatches(spec(['a-very-long-process-name']), proc('a-very-long-pro'))).toBe(true);
  });

  it('never counts zombies', () => {
    expect(processMatches(spec(['nginx']), proc('nginx', undefined, 'Z'))).toBe(false);
  });

  it('with parameters compares the command line exactly by default', () => {
    const s = spec(['/usr/sbin/haproxy', '-f', '/etc/haproxy.cfg']);
    expect(processMatches(s, proc('haproxy', ['/usr/sbin/haproxy', '-f', '/etc/haproxy.cfg']))).toBe(true);
    expect(processMatches(s, proc('haproxy', ['/usr/sbin/haproxy', '-f', '/etc/haproxy.cfg', '-D']))).toBe(false);
    expect(processMatches(s, proc('haproxy', ['haproxy', '-f', '/etc/haproxy.cfg']))).toBe(false);
  });

  it('param_match partial lets more parameters follow', () => {
    const s = spec(['/bin/app', '-c'], { paramMatch: 'partial' });
    expect(processMatches(s, proc('app', ['/bin/app', '-c', 'x']))).toBe(true);
    expect(processMatches(s, proc('app', ['/bin/app', '-d']))).toBe(false);
  });

  it('param_match initial lets the last parameter be longer', () => {
    const s = spec(['/bin/app', '--conf=/etc/a'], { paramMatch: 'initial' });
    expect(processMatches(s, proc('app', ['/bin/app', '--conf=/etc/app.conf']))).toBe(true);
    expect(processMatches(s, proc('app', ['/bin/app', '--conf=/var/a']))).toBe(false);
  });

  it('without configured parameters compares argv[0] only (measured: full_command and param_match partial matched)', () => {
    expect(processMatches(spec(['/bin/app'], { paramMatch: 'partial' }), proc('app', ['/bin/app', 'x']))).toBe(true);
    expect(processMatches(spec(['/bin/app'], { fullCommand: true }), proc('app', ['/bin/app', '-x']))).toBe(true);
    expect(processMatches(spec(['app'], { fullCommand: true }), proc('app', ['/bin/app']))).toBe(false);
  });

  it('never matches a path by name, nor a command line given as one quoted word (measured)', () => {
    expect(processMatches(spec(['/bin/app']), proc('app', ['/bin/app']))).toBe(false);
    expect(processMatches(spec(['/bin/app -x'], { fullCommand: true }), proc('app', ['/bin/app', '-x']))).toBe(false);
    expect(processMatches(spec(['/bin/app', '-x'], { fullCommand: true }), proc('app', ['/bin/app', '-x']))).toBe(true);
  });
});

describe('quorumMet', () => {
  it('needs quorum..quorum_max processes', () => {
    const s = { quorum: 2, quorumMax: 3 };
    expect([0, 1, 2, 3, 4].map((n) => quorumMet(s, n))).toEqual([false, false, true, true, false]);
    expect(quorumMet({ quorum: 0, quorumMax: 0 }, 0)).toBe(true);
    expect(quorumMet({ quorum: 0, quorumMax: 0 }, 1)).toBe(false);
  });
});

describe('/proc parsing', () => {
  it('reads comm (with spaces and parentheses) and state from stat', () => {
    expect(parseProcStat(42, '42 (Web Content (x)) S 1 42 42 0 -1')).toEqual({ pid: 42, comm: 'Web Content (x)', state: 'S' });
    expect(parseProcStat(42, 'garbage')).toBeUndefined();
    expect(parseProcStat(42, '42 (x)')).toBeUndefined();
  });

  it('splits cmdline at NULs', () => {
    expect(parseCmdline(Buffer.from('/bin/app\0-c\0a b\0'))).toEqual(['/bin/app', '-c', 'a b']);
    expect(parseCmdline(Buffer.alloc(0))).toEqual([]);
  });
});
