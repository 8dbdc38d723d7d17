// The ldirectord fixtures (converted and checked by keepalived -t in the interop tier) between
// them use every option the parser knows, so every mapping is exercised against keepalived.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OPTION_SPECS } from '../../src/convert/ldirectord-options.js';
import { parseLdirectordConfig } from '../../src/convert/ldirectord-parser.js';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'ldirectord');
const files = readdirSync(FIXTURES).filter((name) => name.endsWith('.cf'));

describe('ldirectord fixtures', () => {
  it('use every option, both virtual forms and both real spellings', () => {
    const used = new Set<string>();
    for (const name of files) {
      for (const [, option] of readFileSync(join(FIXTURES, name), 'utf8').matchAll(/^\s*([a-z0-9]+)\s*=/gm)) used.add(option as string);
    }
    const missing = [...Object.keys(OPTION_SPECS), 'virtual', 'virtual6', 'real', 'real6'].filter((option) => !used.has(option));
    expect(missing).toEqual([]);
  });

  it.each(files)('%s parses to at least one virtual service', (name) => {
    const { config } = parseLdirectordConfig(readFileSync(join(FIXTURES, name), 'utf8'));
    expect(config.virtuals.length).toBeGreaterThan(0);
  });
});
