import { describe, expect, it } from 'vitest';
import { OPTIONS, parseOptions } from '../../src/cli/options.js';

describe('keepalived flag parsing', () => {
  it('reads short flags with attached and separate values', () => {
    const r = parseOptions(['-f', '/etc/k.conf', '-p/run/k.pid', '-nlD']);
    expect(r).toEqual({ ok: true, positionals: [], options: { useFile: '/etc/k.conf', pid: '/run/k.pid', dontFork: true, logConsole: true, logDetail: true } });
  });

  it('treats -t and --config-test values as optional, like keepalived', () => {
    expect(parseOptions(['-t'])).toMatchObject({ ok: true, options: { configTest: true } });
    expect(parseOptions(['-t/tmp/x.conf'])).toMatchObject({ ok: true, options: { configTest: '/tmp/x.conf' } });
    expect(parseOptions(['--config-test=/tmp/x.conf'])).toMatchObject({ ok: true, options: { configTest: '/tmp/x.conf' } });
    // a separate word after an optional-value flag is not its value
    expect(parseOptions(['-t', 'extra'])).toMatchObject({ ok: true, options: { configTest: true }, positionals: ['extra'] });
  });

  it('refuses unknown flags and missing values with getopt-like messages', () => {
    expect(parseOptions(['-q'])).toEqual({ ok: false, error: "invalid option -- 'q'" });
    expect(parseOptions(['--nope'])).toEqual({ ok: false, error: "unrecognized option '--nope'" });
    expect(parseOptions(['-f'])).toEqual({ ok: false, error: "option requires an argument -- 'f'" });
    expect(parseOptions(['--dont-fork=1'])).toEqual({ ok: false, error: "option '--dont-fork' doesn't allow an argument" });
  });

  it('has one entry per short letter and long name', () => {
    const shorts = OPTIONS.flatMap((o) => (o.short ? [o.short] : []));
    const longs = OPTIONS.map((o) => o.long);
    expect(new Set(shorts).size).toBe(shorts.length);
    expect(new Set(longs).size).toBe(longs.length);
  });
});
