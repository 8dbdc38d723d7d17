// keepalived runs MISC_CHECK scripts without a shell (measured on 2.2.7: misc_path "exit 0" is
// "Cannot find script exit in path", and "test 1 = 1 && true" runs /usr/bin/test with '&&' as an
// argument). The command line is split into words, quotes grouping and backslash escaping, and a
// bare program name is looked up in PATH.
import { accessSync, constants } from 'node:fs';
import { join } from 'node:path';

/** Words of a command line; null for an unterminated quote. */
export function splitCommandLine(line: string): string[] | null {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: '"' | "'" | null = null;
  for (let i = 0; i < line.length; i++) {
    const char = line[i]!;
    if (quote !== null) {
      if (char === quote) quote = null;
      else if (char === '\\' && quote === '"' && i + 1 < line.length) word += line[++i];
      else word += char;
    } else if (char === '"' || char === "'") {
      quote = char;
      inWord = true;
    } else if (char === '\\' && i + 1 < line.length) {
      word += line[++i];
      inWord = true;
    } else if (/\s/.test(char)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += char;
      inWord = true;
    }
  }
  if (quote !== null) return null;
  if (inWord) words.push(word);
  return words;
}

/** The executable a program name runs: itself when it has a slash, else the first match in PATH. */
export function resolveProgram(program: string, path = process.env['PATH'] ?? '/usr/bin:/bin'): string | undefined {
  const candidates = program.includes('/') ? [program] : path.split(':').filter(Boolean).map((dir) => join(dir, program));
  return candidates.find((candidate) => {
    try {
      accessSync(candidate, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}
