// A keepalived script setting ("/path/notify.sh 'arg one' two") turned into the argv that is
// executed directly, without a shell. Two stages, as keepalived 2.2.7 applies them (measured with
// a script that prints its arguments, see test/unit/script-command.test.ts):
//
//   1. decodeQuotedEscapes: escapes inside a double-quoted config string (keepalived.conf(5),
//      "Quoted strings": \a \b \E \f \n \r \t \v \nnn \xXX \cC, and \C for any other C → C).
//      keepalived does this while reading the config; our config layer keeps quoted text raw,
//      so the caller applies it to quoted commands (from-config.ts does).
//   2. splitCommandLine: blanks separate arguments (runs of them count once, leading and trailing
//      ones vanish); single quotes group text with its blanks and are removed, also in the middle
//      of a word (x'y z'w → "xy zw"), '' is an empty argument; outside single quotes a backslash
//      takes the next character literally (\' \  \\). Inside single quotes everything is literal.
//      Double quotes have no meaning at this stage.

/** Stage 1: keepalived's escapes of a double-quoted config string. */
export function decodeQuotedEscapes(text: string): string {
  if (!text.includes('\\')) return text;
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c !== '\\' || i === text.length - 1) {
      out += c;
      continue;
    }
    const next = text[++i]!;
    const simple = SIMPLE_ESCAPES[next];
    if (simple !== undefined) {
      out += simple;
    } else if (next >= '0' && next <= '7') {
      const digits = /^[0-7]{1,3}/.exec(text.slice(i))![0];
      out += String.fromCharCode(parseInt(digits, 8) & 0xff);
      i += digits.length - 1;
    } else if (next === 'x' && /^[0-9a-fA-F]/.test(text[i + 1] ?? '')) {
      // keepalived.conf(5) says up to two hex digits (2.2.7 itself reads on: a divergence we keep).
      const digits = /^[0-9a-fA-F]{1,2}/.exec(text.slice(i + 1))![0];
      out += String.fromCharCode(parseInt(digits, 16));
      i += digits.length;
    } else if (next === 'c' && i + 1 < text.length) {
      out += String.fromCharCode(text.charCodeAt(++i) & 0x1f);
    } else {
      out += next;
    }
  }
  return out;
}

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  a: '\x07',
  b: '\b',
  E: '\x1b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
};

function isBlank(c: string): boolean {
  return c === ' ' || c === '\t' || c === '\n' || c === '\v' || c === '\f' || c === '\r';
}

export type SplitResult =
  | { readonly ok: true; readonly argv: readonly string[] }
  | { readonly ok: false; readonly reason: 'empty' | 'unterminatedQuote'; readonly message: string };

/** Stage 2: the argument vector of a script command line. */
export function splitCommandLine(text: string): SplitResult {
  const argv: string[] = [];
  let current = '';
  let inWord = false;
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === "'") quoted = false;
      else current += c;
    } else if (c === "'") {
      quoted = true;
      inWord = true;
    } else if (c === '\\' && i + 1 < text.length) {
      current += text[++i];
      inWord = true;
    } else if (isBlank(c)) {
      if (inWord) argv.push(current);
      current = '';
      inWord = false;
    } else {
      current += c;
      inWord = true;
    }
  }
  if (quoted) return { ok: false, reason: 'unterminatedQuote', message: `unterminated single quote in script '${text}'` };
  if (inWord) argv.push(current);
  if (argv.length === 0) return { ok: false, reason: 'empty', message: 'empty script command' };
  return { ok: true, argv };
}
