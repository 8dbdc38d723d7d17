// The supervisor's native SIGTERM forwarding on real processes: a parent whose event loop is busy
// (JS cannot run) still passes `kill -TERM <parent>` on to its child at once, from the signal
// handler, and its own JS SIGTERM listener runs afterwards as before. Needs the build (dist/).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const scratch = mkdtempSync(join(tmpdir(), 'kvt-sigfwd-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const CHILD = `process.on('SIGTERM', () => { process.stdout.write('child-term\\n'); process.exit(0); });
process.stdout.write('child-ready\\n');
setTimeout(() => process.exit(3), 5000); // never left behind, signalled or not`;

const PARENT = `import { spawn } from 'node:child_process';
import { forwardTerminationTo } from ${JSON.stringify(join(ROOT, 'dist', 'daemon', 'signal-forwarding.js'))};
process.on('SIGTERM', () => { process.stdout.write('parent-term\\n'); setTimeout(() => process.exit(0), 300); });
const child = spawn(process.execPath, ['-e', ${JSON.stringify(CHILD)}], { stdio: ['ignore', 'pipe', 'inherit'] });
child.stdout.on('data', (chunk) => {
  process.stdout.write(chunk);
  if (!chunk.toString().includes('child-ready')) return;
  forwardTerminationTo([child.pid]);
  process.stdout.write('armed\\n');
  // The loop is held up: only the signal handler can pass the signal on meanwhile.
  const until = Date.now() + 1500;
  while (Date.now() < until);
  process.stdout.write('parent-unblocked\\n');
});`;

describe('SIGTERM forwarding from the signal handler', () => {
  it('reaches the child while the parent\'s loop is busy, and the parent\'s own listener still runs', async () => {
    const file = join(scratch, 'parent.mjs');
    writeFileSync(file, PARENT);
    const parent = spawn(process.execPath, [file], { stdio: ['ignore', 'pipe', 'inherit'] });
    const lines: string[] = [];
    let signalled = false;
    parent.stdout.on('data', (chunk: Buffer) => {
      lines.push(...chunk.toString().split('\n').filter((line) => line !== ''));
      if (!signalled && lines.includes('armed')) {
        signalled = true;
        parent.kill('SIGTERM');
      }
    });
    const exitCode = await new Promise<number | null>((resolve) => parent.once('exit', (code) => resolve(code)));
    expect(exitCode).toBe(0);
    // The parent's JS never signals the child (its listener only logs): the child's line can only
    // come from the forwarding. The parent's listener ran, after the busy stretch, as without it.
    expect(lines).toContain('child-term');
    expect(lines.indexOf('parent-unblocked')).toBeLessThan(lines.indexOf('parent-term'));
  });
});
