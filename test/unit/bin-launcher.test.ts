// bin/keepalived-ts run as a program: its first line (for /bin/sh) starts Node without
// NODE_EXTRA_CA_CERTS, whose certificates Node would otherwise parse at start; run as
// `node bin/keepalived-ts` the same file is plain JavaScript. A certificate file that cannot be
// read shows which happened: Node warns about it only when it was asked to load it.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'keepalived-ts');
const env = { ...process.env, NODE_EXTRA_CA_CERTS: '/nonexistent/kts-ca.pem' };

describe('bin/keepalived-ts launcher', () => {
  it('run directly, starts Node without NODE_EXTRA_CA_CERTS', () => {
    const result = spawnSync(BIN, ['--version'], { env, encoding: 'utf8' });
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^keepalived-ts v/);
    expect(result.stderr).not.toContain('extra certs');
  });

  it('run by node, is the same program (and Node loads the certificates as asked)', () => {
    const result = spawnSync(process.execPath, [BIN, '--version'], { env, encoding: 'utf8' });
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^keepalived-ts v/);
    expect(result.stderr).toContain('Ignoring extra certs from `/nonexistent/kts-ca.pem`');
  });
});
