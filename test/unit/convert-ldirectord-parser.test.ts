import { describe, expect, it } from 'vitest';
import { parseLdirectordConfig } from '../../src/convert/ldirectord-parser.js';

const parse = (lines: string[]) => parseLdirectordConfig(lines.join('\n'));

describe('ldirectord.cf parser', () => {
  it('reads global options, a virtual block and its indented options with their lines', () => {
    const { config, warnings } = parse(['checkinterval=7', 'virtual=192.0.2.1:80', '\treal=10.0.0.1:8080 masq 3', '\tservice=http', 'quiescent=no']);
    expect(warnings).toEqual([]);
    expect(config.settings.checkinterval).toEqual({ value: 7, line: 1 });
    expect(config.settings.quiescent).toEqual({ value: false, line: 5 });
    expect(config.virtuals).toHaveLength(1);
    const [virtual] = config.virtuals;
    expect(virtual?.target).toEqual({ kind: 'address', address: '192.0.2.1', port: 80 });
    expect(virtual?.settings.service).toEqual({ value: 'http', line: 4 });
    expect(virtual?.reals).toEqual([{ line: 3, address: '10.0.0.1', family: 'inet', port: 8080, forwarding: 'masq', weight: 3, comments: [] }]);
  });

  it('reads fwmark and IPv6 services and per-server request/receive strings', () => {
    const { config } = parse(['virtual6=[2001:db8::1]:443', ' real=[fd00::2]:443 gate 2 "/hc", "OK"', 'virtual=12', ' real=10.0.0.9 ipip']);
    expect(config.virtuals[0]).toMatchObject({ family: 'inet6', target: { kind: 'address', address: '2001:db8::1', port: 443 } });
    expect(config.virtuals[0]?.reals[0]).toMatchObject({ address: 'fd00::2', family: 'inet6', weight: 2, request: '/hc', receive: 'OK' });
    expect(config.virtuals[1]).toMatchObject({ family: 'inet', target: { kind: 'fwmark', mark: 12 } });
  });

  it('expands address and port ranges into one real server each', () => {
    const { config } = parse(['virtual=192.0.2.1:80', ' real=10.0.0.254->10.0.1.1:80', ' real=10.0.2.1:8000->8002 masq']);
    const addresses = config.virtuals[0]?.reals.map((real) => `${real.address}:${real.port}`);
    expect(addresses).toEqual(['10.0.0.254:80', '10.0.0.255:80', '10.0.1.0:80', '10.0.1.1:80', '10.0.2.1:8000', '10.0.2.1:8001', '10.0.2.1:8002']);
  });

  it('reads real6= like real= and warns when the forwarding method is missing', () => {
    const { config, warnings } = parse(['virtual6=[2001:db8::1]:80', ' real6=[fd00::2]:80 masq', ' real6=[fd00::3]:80']);
    expect(config.virtuals[0]?.reals.map((r) => [r.address, r.forwarding])).toEqual([['fd00::2', 'masq'], ['fd00::3', undefined]]);
    expect(warnings.map((w) => [w.line, w.option])).toEqual([[3, 'real']]);
  });

  it('keeps unindented virtual-only options in the current service, with a warning', () => {
    const { config, warnings } = parse(['virtual=192.0.2.1:80', 'real=10.0.0.1 gate', 'fallback=127.0.0.1 gate', 'scheduler=rr']);
    expect(config.virtuals[0]?.reals).toHaveLength(1);
    expect(config.virtuals[0]?.settings.scheduler?.value).toBe('rr');
    // fallback is valid globally too, so unindented it is a global option, as in ldirectord
    expect(config.settings.fallback?.value).toMatchObject({ address: '127.0.0.1', forwarding: 'gate' });
    expect(warnings.map((w) => [w.line, w.option])).toEqual([[2, 'real'], [4, 'scheduler']]);
  });

  it('turns every bad line into a warning with its line number and never throws', () => {
    const { config, warnings } = parse([
      'what is this', 'checkinterval=soon', 'bogus=1', 'virtual=host.example:80', ' real=10.0.0.1 gate',
      'virtual=192.0.2.1:80', ' real=[fd00::1]:80 gate', ' protocol=icmp', ' real=10.0.0.2 gate 1 trailing', ' scheduler=rr', ' scheduler=lc',
    ]);
    expect(config.virtuals).toHaveLength(1);
    expect(config.virtuals[0]?.reals.map((r) => r.address)).toEqual(['10.0.0.2']);
    expect(config.virtuals[0]?.settings.scheduler).toEqual({ value: 'lc', line: 11 });
    expect(warnings.map((w) => w.line)).toEqual([1, 2, 3, 4, 7, 8, 9, 11]);
  });

  it('attaches comments to the service or server they precede, and trailing comments to their line', () => {
    const { config } = parse(['# file header', 'logfile=x', 'virtual=192.0.2.1:80 # the web VIP', '\t# primary', '\treal=10.0.0.1 gate # rack 1', '\treceive="a#b"', '# the end']);
    expect(config.comments).toEqual(['file header']);
    expect(config.virtuals[0]?.comments).toEqual(['the web VIP', 'the end']);
    expect(config.virtuals[0]?.reals[0]?.comments).toEqual(['primary', 'rack 1']);
    expect(config.virtuals[0]?.settings.receive?.value).toBe('a#b');
  });
});
