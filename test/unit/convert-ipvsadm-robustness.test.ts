// Bad input never throws: arbitrary text and random ipvsadm-looking rule files always come back as
// a document plus warnings, and what is written loads without an error in our config loader.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadConfigText } from '../../src/config/load.js';
import { mapIpvsadmToKeepalived } from '../../src/convert/ipvsadm-mapper.js';
import { readIpvsadmTable } from '../../src/convert/ipvsadm-table.js';
import { writeKeepalivedConfig } from '../../src/convert/keepalived-writer.js';

function convertAll(text: string, checker: 'none' | 'tcp' | 'http' = 'tcp'): string {
  return writeKeepalivedConfig(mapIpvsadmToKeepalived(readIpvsadmTable(text), { checker }).document);
}

const COMMANDS = ['-A', '-E', '-D', '-a', '-e', '-d', '-C', '--set', 'ipvsadm -A', '-Z', ''];
const SERVICES = ['-t 192.0.2.1:80', '-u 192.0.2.1:53', '--sctp-service 192.0.2.1:9', '-f 5', '-f 6 -6', '-t [2001:db8::1]:443', '-t 192.0.2.1:0', '-t 192.0.2.1', '-f -1', ''];
const OPTIONS = [
  '-s rr', '-s sh -b sh-port,sh-fallback', '-s mh -b mh-port', '-b flag-3', '-p', '-p 60', '-p 9999999', '-M 255.255.255.0', '-M 64', '--pe sip', '-o',
  '-r 10.0.0.1:80', '-r 10.0.0.2', '-r [2001:db8::2]:80', '-g', '-m', '-i', '-w 0', '-w 5', '-x 10', '-y 5', '--tun-type gue --tun-port 6080', '--tun-type gre --tun-csum',
  '900 120 300', '0 0 0', '# note', '--bogus', 'x',
];

const line = fc.tuple(fc.constantFrom(...COMMANDS), fc.constantFrom(...SERVICES), fc.array(fc.constantFrom(...OPTIONS), { maxLength: 4 }))
  .map(([command, service, options]) => [command, service, ...options].join(' '));

describe('ipvsadm conversion robustness', () => {
  it('never throws on arbitrary text', () => {
    fc.assert(fc.property(fc.string({ maxLength: 400 }), (text) => {
      expect(typeof convertAll(text)).toBe('string');
    }), { numRuns: 300 });
  });

  it('never throws on random rule files, and what it writes loads without an error', () => {
    fc.assert(fc.property(fc.array(line, { maxLength: 25 }), fc.constantFrom('none' as const, 'tcp' as const, 'http' as const), (lines, checker) => {
      const out = convertAll(lines.join('\n'), checker);
      const { diagnostics } = loadConfigText(out, 'converted.conf', { system: null });
      expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    }), { numRuns: 300 });
  });
});
