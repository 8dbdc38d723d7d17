// `~SEQ(var, [start,] [step,] end)`, `~SEQx(...)` and `~LST(var, v1, ...)` / `~LST({a,b}, {1,2}, ...)`
// at the start of a line: the values each repetition of the rest of the line binds.

/** One repetition: the variables to define while the rest of the line is processed. */
export type Binding = ReadonlyArray<readonly [name: string, value: string]>;

export type RepetitionParse =
  | { readonly ok: true; readonly bindings: Binding[]; readonly restIndex: number }
  | { readonly ok: false; readonly code: 'KTS_SEQUENCE_INVALID' | 'KTS_LIST_INVALID' | 'KTS_SEQUENCE_TOO_LONG'; readonly message: string };

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Bounds one line's expansion; keepalived has none, but a typo such as end=1e9 must not hang us. */
export const MAX_REPETITIONS = 1_000_000;

/** Is there a repetition specification at the start of `text`? */
export function repetitionKind(text: string): 'SEQ' | 'SEQx' | 'LST' | null {
  if (text.startsWith('~SEQ(')) return 'SEQ';
  if (text.startsWith('~SEQx(')) return 'SEQx';
  if (text.startsWith('~LST(')) return 'LST';
  return null;
}

/** Parses the specification at the start of `text` (which starts with `~SEQ(`, `~SEQx(` or `~LST(`). */
export function parseRepetition(text: string, kind: 'SEQ' | 'SEQx' | 'LST'): RepetitionParse {
  const open = text.indexOf('(');
  let depth = 0;
  let close = -1;
  for (let i = open; i < text.length; i++) {
    if (text[i] === '(' || text[i] === '{') depth++;
    else if ((text[i] === ')' || text[i] === '}') && --depth === 0) {
      if (text[i] === ')') close = i;
      break;
    }
  }
  const code = kind === 'LST' ? 'KTS_LIST_INVALID' : 'KTS_SEQUENCE_INVALID';
  if (close < 0) return { ok: false, code, message: `~${kind}( has no closing )` };
  const inner = text.slice(open + 1, close);
  let restIndex = close + 1;
  while (restIndex < text.length && /\s/.test(text[restIndex]!)) restIndex++;
  const result = kind === 'LST' ? listBindings(inner) : sequenceBindings(inner, kind === 'SEQx');
  return result.ok ? { ok: true, bindings: result.bindings, restIndex } : result;
}

function parseInteger(text: string): number | null {
  const t = text.trim();
  if (/^[-+]?0x[0-9a-f]+$/i.test(t)) return (t.startsWith('-') ? -1 : 1) * parseInt(t.replace(/^[-+]/, ''), 16);
  if (/^[-+]?\d+$/.test(t)) return parseInt(t, 10);
  return null;
}

function sequenceBindings(inner: string, hex: boolean): RepetitionParse {
  const parts = inner.split(',');
  // keepalived repeats the line whatever the variable is called (even `1X`, which no $ can reach).
  const name = parts[0]!.trim();
  if (!/^\S+$/.test(name)) return { ok: false, code: 'KTS_SEQUENCE_INVALID', message: `~SEQ variable '${name}' is empty or contains spaces` };
  if (parts.length < 2 || parts.length > 4) {
    return { ok: false, code: 'KTS_SEQUENCE_INVALID', message: '~SEQ takes a variable and 1 to 3 numbers: (var, [start,] [step,] end)' };
  }
  const numbers = parts.slice(1).map(parseInteger);
  if (numbers.some((n) => n === null)) return { ok: false, code: 'KTS_SEQUENCE_INVALID', message: `~SEQ numbers must be integers: '${inner}'` };
  const values = numbers as number[];
  const end = values[values.length - 1]!;
  const start = values.length >= 2 ? values[0]! : end < 0 ? -1 : 1;
  const step = values.length === 3 ? values[1]! : end >= start ? 1 : -1;
  if (step === 0) return { ok: false, code: 'KTS_SEQUENCE_INVALID', message: '~SEQ step must not be 0' };
  if (hex && (start < 0 || end < 0)) return { ok: false, code: 'KTS_SEQUENCE_INVALID', message: '~SEQx is only valid for non-negative start and end values' };
  const count = Math.floor((end - start) / step) + 1;
  if (count > MAX_REPETITIONS) return { ok: false, code: 'KTS_SEQUENCE_TOO_LONG', message: `~SEQ would repeat the line ${count} times` };
  const bindings: Binding[] = [];
  for (let value = start; step > 0 ? value <= end : value >= end; value += step) {
    bindings.push([[name, hex ? value.toString(16) : String(value)]]);
  }
  return { ok: true, bindings, restIndex: 0 };
}

/** Splits at top-level commas, keeping `{...}` groups whole. */
function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '{') depth++;
    else if (text[i] === '}') depth--;
    else if (text[i] === ',' && depth === 0) {
      parts.push(text.slice(start, i).trim());
      start = i + 1;
    }
  }
  parts.push(text.slice(start).trim());
  return parts;
}

function ungroup(part: string): string[] {
  return part.startsWith('{') && part.endsWith('}') ? part.slice(1, -1).split(',').map((s) => s.trim()) : [part];
}

function listBindings(inner: string): RepetitionParse {
  const parts = splitTopLevel(inner);
  const names = ungroup(parts[0]!);
  if (names.some((n) => !NAME.test(n))) return { ok: false, code: 'KTS_LIST_INVALID', message: `~LST variable list '${parts[0]}' is not valid` };
  if (parts.length < 2) return { ok: false, code: 'KTS_LIST_INVALID', message: '~LST needs at least one value' };
  const bindings: Binding[] = [];
  for (const part of parts.slice(1)) {
    const values = ungroup(part);
    if (values.some((v) => v === '' || /\s/.test(v))) {
      return { ok: false, code: 'KTS_LIST_INVALID', message: `~LST value '${part}' is empty or contains whitespace` };
    }
    if (values.length !== names.length) {
      return { ok: false, code: 'KTS_LIST_INVALID', message: `~LST value '${part}' does not give ${names.length} value(s)` };
    }
    bindings.push(names.map((n, i) => [n, values[i]!] as const));
  }
  return { ok: true, bindings, restIndex: 0 };
}
