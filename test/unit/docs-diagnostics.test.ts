// docs/diagnostics.md and the code registry (src/config/codes.ts) must list the same codes with
// the same severities, and the codes the source emits must all be registered.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CODES } from '../../src/config/codes.js';

const doc = readFileSync(new URL('../../docs/diagnostics.md', import.meta.url), 'utf8');
const documented = new Map([...doc.matchAll(/^### (KTS_\w+)\n\nSeverity: (\w+)\./gm)].map((m) => [m[1]!, m[2]!]));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

describe('docs/diagnostics.md', () => {
  it('documents exactly the registered codes', () => {
    expect([...documented.keys()].sort()).toEqual(Object.keys(CODES).sort());
  });
  it('gives each code the severity the registry gives it', () => {
    for (const [code, info] of Object.entries(CODES)) expect(documented.get(code), code).toBe(info.severity);
  });
  it('registers every code the config and CLI sources use', () => {
    const root = new URL('../../src/', import.meta.url).pathname;
    const used = new Set(
      [...sourceFiles(join(root, 'config')), ...sourceFiles(join(root, 'cli'))].flatMap((f) => [...readFileSync(f, 'utf8').matchAll(/'(KTS_[A-Z0-9_]+)'/g)].map((m) => m[1]!)),
    );
    expect([...used].filter((c) => !(c in CODES))).toEqual([]);
  });
});
