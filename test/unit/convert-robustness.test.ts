// Bad input never throws: random text and random ldirectord-looking lines always come back as a
// config plus warnings, and the mapper and writer accept whatever the parser produced.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseLdirectordConfig } from '../../src/convert/ldirectord-parser.js';
import { mapLdirectordToKeepalived } from '../../src/convert/ldirectord-mapper.js';
import { writeKeepalivedConfig } from '../../src/convert/keepalived-writer.js';
import { OPTION_SPECS } from '../../src/convert/ldirectord-options.js';

function convertAll(text: string): string {
  const parsed = parseLdirectordConfig(text);
  const mapped = mapLdirectordToKeepalived(parsed.config);
  return writeKeepalivedConfig(mapped.document);
}

const NAMES = ['virtual', 'virtual6', 'real', 'real6', ...Object.keys(OPTION_SPECS)];
const VALUES = ['', '1', '0', 'yes', 'no', '192.0.2.1:80', '[fd00::1]:80', '10.0.0.1->10.0.0.3:80 gate 2', '5', 'http', 'fwm', '"x y"', '"a", "b"', '99999', '-1', 'http://h/p', 'a"b', 'x"y@example.org', '[', '::'];

const line = fc.tuple(fc.constantFrom('', ' ', '\t', '    '), fc.constantFrom(...NAMES), fc.constantFrom('=', ' = ', ' '), fc.oneof(fc.constantFrom(...VALUES), fc.string()), fc.constantFrom('', ' # note'))
  .map(([indent, name, eq, value, comment]) => `${indent}${name}${eq}${value}${comment}`);

describe('ldirectord conversion robustness', () => {
  it('never throws on arbitrary text', () => {
    fc.assert(fc.property(fc.string({ maxLength: 400 }), (text) => {
      expect(typeof convertAll(text)).toBe('string');
    }), { numRuns: 300 });
  });

  it('never throws on random ldirectord-like files, and every output line is balanced', () => {
    fc.assert(fc.property(fc.array(line, { maxLength: 30 }), (lines) => {
      const out = convertAll(lines.join('\n'));
      const code = out.split('\n').filter((l) => !l.trim().startsWith('#'));
      const opens = code.filter((l) => l.endsWith('{')).length;
      const closes = code.filter((l) => l.trim() === '}').length;
      expect(opens).toBe(closes);
      // keepalived cannot express a double quote inside a quoted word
      for (const l of code) expect((l.match(/"/g) ?? []).length % 2).toBe(0);
    }), { numRuns: 1000 });
  });
});
