// keepalived's own sample configs (GPL data, read from ../shared, never copied into the project)
// must pass the lexical layer without a single diagnostic.
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/parse.js';

const corpus = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'shared', 'corpus', 'keepalived-samples');
const samples = readdirSync(corpus).filter((name) => name.startsWith('keepalived.conf'));

describe('keepalived sample configs', () => {
  it('finds the samples', () => {
    expect(samples.length).toBeGreaterThan(20);
  });

  it.each(samples)('%s parses without lexical diagnostics', (name) => {
    const result = parseConfig(join(corpus, name), { configId: 'main', env: {} });
    expect(result.diagnostics).toEqual([]);
    expect(result.tree.length).toBeGreaterThan(0);
    expect(result.files).toEqual([join(corpus, name)]);
  });
});
