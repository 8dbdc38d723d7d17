// Include resolution: csh-style brace expansion and shell globs, as keepalived's glob() call with
// GLOB_BRACE does, over a small file-system interface so tests can use in-memory files.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { posix } from 'node:path';

export interface ConfigFileSystem {
  /** The file's text; throws (any error) when it cannot be read. */
  readFile(path: string): string;
  /** Names in a directory; throws or returns [] when it cannot be listed. */
  readDirectory(path: string): string[];
  /** Whether anything (file, directory, ...) exists at the path. */
  exists(path: string): boolean;
}

export const nodeFileSystem: ConfigFileSystem = {
  readFile: (path) => readFileSync(path, 'utf8'),
  readDirectory: (path) => readdirSync(path),
  exists: (path) => {
    try {
      statSync(path);
      return true;
    } catch {
      return false;
    }
  },
};

/** Expands `{a,b}` alternatives (nested, left to right); an unmatched `{` stays literal. */
export function expandBraces(pattern: string): string[] {
  const open = pattern.indexOf('{');
  if (open < 0) return [pattern];
  let depth = 0;
  const commas: number[] = [];
  for (let i = open; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '{') depth++;
    else if (c === ',' && depth === 1) commas.push(i);
    else if (c === '}' && --depth === 0) {
      const prefix = pattern.slice(0, open);
      const suffix = pattern.slice(i + 1);
      const bounds = [open, ...commas, i];
      const expanded: string[] = [];
      for (let k = 0; k + 1 < bounds.length; k++) {
        for (const alternative of expandBraces(prefix + pattern.slice(bounds[k]! + 1, bounds[k + 1]) + suffix)) expanded.push(alternative);
      }
      return expanded;
    }
  }
  const rest = expandBraces(pattern.slice(open + 1));
  return rest.map((tail) => pattern.slice(0, open + 1) + tail);
}

export function hasWildcard(pattern: string): boolean {
  return /[*?[]/.test(pattern);
}

/** Translates one path segment's glob into a RegExp (`*`, `?` and `[...]`; no leading-dot matches). */
function segmentRegExp(segment: string): RegExp {
  let source = '';
  for (let i = 0; i < segment.length; i++) {
    const c = segment[i]!;
    if (c === '*') source += '[^/]*';
    else if (c === '?') source += '[^/]';
    else if (c === '[') {
      const close = segment.indexOf(']', i + 2);
      if (close < 0) source += '\\[';
      else {
        let body = segment.slice(i + 1, close);
        if (body.startsWith('!')) body = '^' + body.slice(1);
        source += '[' + body.replace(/\\/g, '\\\\') + ']';
        i = close;
      }
    } else if (c === '\\' && i + 1 < segment.length) source += '\\' + segment[++i];
    else source += c.replace(/[.+^${}()|\]\\]/g, '\\$&');
  }
  return new RegExp(`^(?!\\.)${source}$`);
}

/** Paths matching one absolute glob pattern (no braces), sorted like glob(3); directories too, as glob(3). */
export function globFiles(pattern: string, fs: ConfigFileSystem): string[] {
  if (!hasWildcard(pattern)) return fs.exists(pattern) ? [pattern] : [];
  const segments = pattern.split('/');
  let candidates = [segments[0] === '' ? '/' : '.'];
  for (let s = segments[0] === '' ? 1 : 0; s < segments.length; s++) {
    const segment = segments[s]!;
    if (segment === '') continue;
    const next: string[] = [];
    if (!hasWildcard(segment)) {
      for (const base of candidates) next.push(posix.join(base, segment));
    } else {
      const matcher = segmentRegExp(segment);
      for (const base of candidates) {
        let names: string[];
        try {
          names = fs.readDirectory(base);
        } catch {
          names = [];
        }
        for (const name of names.sort()) if (matcher.test(name)) next.push(posix.join(base, name));
      }
    }
    candidates = next;
  }
  return candidates.filter((path) => fs.exists(path));
}
