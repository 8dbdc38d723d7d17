// Script command lines become the argv keepalived 2.2.7 executes. The expected vectors were
// measured: keepalived ran a script printing its arguments for each command line below.
import { describe, expect, it } from 'vitest';
import { decodeQuotedEscapes, splitCommandLine } from '../../src/common/script-command.js';

function argv(text: string): readonly string[] {
  const result = splitCommandLine(text);
  if (!result.ok) throw new Error(result.message);
  return result.argv;
}

describe('splitCommandLine (measured on keepalived 2.2.7)', () => {
  it.each([
    ["/s.sh 'a b' c", ['/s.sh', 'a b', 'c']],
    ["/s.sh x'y z'w", ['/s.sh', 'xy zw']],
    ['/s.sh   multiple   spaces  ', ['/s.sh', 'multiple', 'spaces']],
    ["/s.sh 'q r'\\' s", ['/s.sh', "q r'", 's']],
    ["/s.sh '' end", ['/s.sh', '', 'end']],
    ['/s.sh c\\ d', ['/s.sh', 'c d']],
    ["/s.sh 'g\"h' i'j k'l", ['/s.sh', 'g"h', 'ij kl']],
  ])('%s', (text, expected) => {
    expect(argv(text)).toEqual(expected);
  });

  it('keeps backslashes inside single quotes literal', () => {
    expect(argv("/s.sh 'a\\b'")).toEqual(['/s.sh', 'a\\b']);
  });

  it('splits at tabs as at spaces', () => {
    expect(argv('/s.sh\ta\t\tb')).toEqual(['/s.sh', 'a', 'b']);
  });

  it('refuses an unterminated single quote and an empty line', () => {
    expect(splitCommandLine("/s.sh 'open")).toMatchObject({ ok: false, reason: 'unterminatedQuote' });
    expect(splitCommandLine('   ')).toMatchObject({ ok: false, reason: 'empty' });
  });
});

describe('decodeQuotedEscapes (keepalived.conf(5) "Quoted strings")', () => {
  it('decodes the named escapes', () => {
    expect(decodeQuotedEscapes('\\a\\b\\E\\f\\n\\r\\t\\v')).toBe('\x07\b\x1b\f\n\r\t\v');
  });

  it('decodes octal (up to 3 digits), hex (up to 2) and control escapes', () => {
    expect(decodeQuotedEscapes('\\101\\0619')).toBe('A19');
    expect(decodeQuotedEscapes('f\\x69le \\x4')).toBe('file \x04');
    expect(decodeQuotedEscapes('\\cA\\c[')).toBe('\x01\x1b');
  });

  it('takes any other escaped character literally', () => {
    expect(decodeQuotedEscapes('\\\\ \\" \\q')).toBe('\\ " q');
  });

  it('with splitting, reproduces the man page example and the measured c\\\\ d', () => {
    const text = "/etc/keepalived/notify_event.sh ' spaces\\\\x20f\\x69le ' '\\\"s p a c e \\\"' SG1.low master";
    expect(argv(decodeQuotedEscapes(text))).toEqual(['/etc/keepalived/notify_event.sh', ' spaces\\x20file ', '"s p a c e "', 'SG1.low', 'master']);
    // measured: script "/s.sh c\ d" ran with [c][d]; "/s.sh c\\ d" with [c d]
    expect(argv(decodeQuotedEscapes('/s.sh c\\ d'))).toEqual(['/s.sh', 'c', 'd']);
    expect(argv(decodeQuotedEscapes('/s.sh c\\\\ d'))).toEqual(['/s.sh', 'c d']);
  });

  it('leaves a trailing lone backslash as it is', () => {
    expect(decodeQuotedEscapes('abc\\')).toBe('abc\\');
  });
});
