// docs/keywords.md is generated from the keyword tables; it must be what the generator gives now.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderKeywordsDoc } from '../../src/config/schema/keywords-doc.js';
import { TABLES } from '../../src/config/schema/index.js';

describe('docs/keywords.md', () => {
  const committed = readFileSync(new URL('../../docs/keywords.md', import.meta.url), 'utf8');
  it('is current (regenerate with: npm run build:ts && node scripts/gen-keywords-doc.mjs)', () => {
    expect(committed).toBe(renderKeywordsDoc());
  });
  it('has a row for every keyword of every table', () => {
    for (const table of TABLES) for (const k of table.keywords) expect(committed).toContain(`| \`${k.name}\` |`);
  });
});
