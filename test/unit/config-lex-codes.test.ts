// The lexical layer's diagnostic codes: every code its sources emit is registered in
// LEXICAL_CODES with the severity they emit it with, and every registered code is emitted.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { LEXICAL_CODES } from '../../src/config/codes-lexical.js';

const configDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'src', 'config');
const SOURCES = ['preprocess.ts', 'preprocess-sequences.ts', 'lexer.ts', 'parse.ts', 'source-files.ts'];
const text = SOURCES.map((f) => readFileSync(join(configDir, f), 'utf8')).join('\n');

describe('lexical diagnostic codes', () => {
  it('registers exactly the codes the lexical layer emits, all prefixed KTS_', () => {
    const used = new Set(text.match(/'KTS_[A-Z0-9_]+'/g)!.map((c) => c.slice(1, -1)));
    expect([...used].sort()).toEqual(Object.keys(LEXICAL_CODES).sort());
  });

  it('emits each code with its registered severity', () => {
    for (const match of text.matchAll(/diagnostic\('(error|warning|info)', '(KTS_[A-Z0-9_]+)'/g)) {
      expect({ code: match[2], severity: match[1] }).toEqual({ code: match[2], severity: LEXICAL_CODES[match[2] as keyof typeof LEXICAL_CODES].severity });
    }
  });
});
