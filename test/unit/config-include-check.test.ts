// include_check: the level its words give, and where in the token stream it takes effect
// (test/interop/config-include-check.test.ts compares the same rules with keepalived 2.2.7).
import { describe, expect, it } from 'vitest';
import {
  applyIncludeCheck, CHECK_BRACE_MATCH, CHECK_MATCH, CHECK_READABLE, CHECK_WILDCARD_MATCH,
} from '../../src/config/include-check.js';
import type { Diagnostic } from '../../src/config/diagnostics.js';
import { parseConfigText } from '../../src/config/parse.js';
import type { ConfigFileSystem } from '../../src/config/source-files.js';
import type { Statement, Word } from '../../src/config/tree.js';

const FILE = '/etc/keepalived/keepalived.conf';
const loc = { file: FILE, line: 1, col: 1 };
const word = (text: string): Word => ({ text, loc, quoted: false });
const statement = (...args: string[]): Statement => ({ keyword: word('include_check'), args: args.map(word) });
const ALL = CHECK_READABLE | CHECK_MATCH | CHECK_WILDCARD_MATCH | CHECK_BRACE_MATCH;

function level(start: number, ...args: string[]): { level: number; codes: string[] } {
  const diagnostics: Diagnostic[] = [];
  return { level: applyIncludeCheck(start, statement(...args), diagnostics), codes: diagnostics.map((d) => d.code) };
}

describe('include_check words', () => {
  it('turns every check on without words', () => {
    expect(level(0)).toEqual({ level: ALL, codes: [] });
  });

  it('replaces the level with unprefixed words, each but read bringing the readable check', () => {
    expect(level(ALL, 'match')).toEqual({ level: CHECK_MATCH | CHECK_READABLE, codes: [] });
    expect(level(CHECK_MATCH, 'brace_match')).toEqual({ level: CHECK_BRACE_MATCH | CHECK_READABLE, codes: [] });
  });

  it('adds with + and removes with -', () => {
    expect(level(CHECK_MATCH | CHECK_READABLE, '+brace_match').level).toBe(CHECK_MATCH | CHECK_BRACE_MATCH | CHECK_READABLE);
    expect(level(CHECK_WILDCARD_MATCH | CHECK_READABLE, '-read').level).toBe(CHECK_WILDCARD_MATCH);
  });

  it('reports and ignores unknown words and unprefixed words overlapping earlier ones on the line', () => {
    expect(level(0, 'readable')).toEqual({ level: 0, codes: ['KTS_INVALID_VALUE'] });
    expect(level(0, 'read', 'match')).toEqual({ level: CHECK_READABLE, codes: ['KTS_INVALID_VALUE'] });
  });
});

describe('include_check in the token stream', () => {
  const files: Record<string, string> = { '/etc/keepalived/sets.conf': 'global_defs {\n  include_check\n}\n' };
  const fs: ConfigFileSystem = {
    readFile: (path) => {
      if (files[path] === undefined) throw new Error(`ENOENT: ${path}`);
      return files[path];
    },
    readDirectory: () => [],
    exists: (path) => path in files,
  };
  const codes = (text: string) => parseConfigText(text, FILE, { configId: 'main', env: {}, fs }).diagnostics.map((d) => d.code);

  it('makes later includes strict only from inside a top-level global_defs', () => {
    expect(codes('global_defs {\n  include_check\n}\ninclude missing.conf\n')).toEqual(['KTS_INCLUDE_CHECK_FAILED']);
    expect(codes('include_check\ninclude missing.conf\n')).toEqual(['KTS_INCLUDE_NO_MATCH']);
    expect(codes('vrrp_instance X {\n  global_defs {\n    include_check\n  }\n}\ninclude missing.conf\n')).toEqual(['KTS_INCLUDE_NO_MATCH']);
  });

  it('does not reach includes before it, and ends with the included file that set it', () => {
    expect(codes('include missing.conf\nglobal_defs {\n  include_check\n}\n')).toEqual(['KTS_INCLUDE_NO_MATCH']);
    expect(codes('include sets.conf\ninclude missing.conf\n')).toEqual(['KTS_INCLUDE_NO_MATCH']);
  });
});
