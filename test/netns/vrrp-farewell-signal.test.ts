// The priority-0 farewell sent from the SIGTERM handler (native/farewell.c) on real processes: a
// process whose event loop is busy (JS cannot run) still sends its armed packet the moment the
// signal arrives, once, whatever number of TERMs follow; a disarmed slot sends nothing; a closed
// fd is forgotten; JS sees what was sent. Loopback UDP stands in for the raw VRRP socket (the
// handler only calls sendto). Needs the build (dist/).
import { spawn } from 'node:child_process';
import { createSocket, type Socket } from 'node:dgram';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const scratch = mkdtempSync(join(tmpdir(), 'kvt-farewell-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** The child arms slots 0 (kept), 1 (disarmed) and 2 (fd closed), then holds its loop for 1.5 s. */
const childScript = (port: number): string => `
import { native } from ${JSON.stringify(join(ROOT, 'dist', 'sys', 'native.js'))};
process.on('SIGTERM', () => process.stdout.write('js-term\\n'));
const addon = native();
const sockaddr = Buffer.alloc(16);
sockaddr.writeUInt16LE(2, 0); // AF_INET
sockaddr.writeUInt16BE(${port}, 2);
sockaddr.set([127, 0, 0, 1], 4);
const open = () => addon.socket(2, 2, 0); // AF_INET, SOCK_DGRAM
const kept = open();
const closed = open();
addon.armFarewell(0, kept, Buffer.from('farewell-0'), sockaddr);
addon.armFarewell(1, kept, Buffer.from('farewell-1'), sockaddr);
addon.disarmFarewell(1);
addon.armFarewell(2, closed, Buffer.from('farewell-2'), sockaddr);
addon.close(closed);
process.stdout.write('armed\\n');
setTimeout(() => {
  const until = Date.now() + 1500;
  while (Date.now() < until);
  process.stdout.write('unblocked ' + JSON.stringify([addon.farewellState(), addon.farewellState(0), addon.farewellState(1), addon.farewellState(2)]) + '\\n');
  setTimeout(() => process.exit(0), 100); // the JS listener runs now, as usual
}, 0);
`;

function receiver(): Promise<{ socket: Socket; port: number; got: { text: string; at: number }[] }> {
  const socket = createSocket('udp4');
  const got: { text: string; at: number }[] = [];
  socket.on('message', (message) => got.push({ text: message.toString(), at: Date.now() }));
  return new Promise((resolve) => socket.bind(0, '127.0.0.1', () => resolve({ socket, port: socket.address().port, got })));
}

describe('priority-0 farewell from the signal handler', () => {
  it('leaves at the TERM while the loop is busy, once; disarmed and closed slots stay silent', async () => {
    const { socket, port, got } = await receiver();
    const file = join(scratch, 'child.mjs');
    writeFileSync(file, childScript(port));
    const child = spawn(process.execPath, [file], { stdio: ['ignore', 'pipe', 'inherit'] });
    const lines: string[] = [];
    let signalledAt = 0;
    let unblockedAt = 0;
    child.stdout.on('data', (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n').filter((l) => l !== '')) {
        lines.push(line);
        if (line.startsWith('unblocked')) unblockedAt = Date.now();
      }
      if (signalledAt === 0 && lines.includes('armed')) {
        // Inside the busy stretch: only the signal handler can act now.
        setTimeout(() => {
          signalledAt = Date.now();
          child.kill('SIGTERM');
          setTimeout(() => child.kill('SIGTERM'), 100);
        }, 200);
      }
    });
    const exitCode = await new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    await new Promise((resolve) => setTimeout(resolve, 100));
    socket.close();
    expect(exitCode).toBe(0);
    expect(got.map((m) => m.text)).toEqual(['farewell-0']);
    // Sent during the busy stretch, long before JS could run.
    expect(got[0]!.at).toBeLessThan(unblockedAt - 500);
    expect(got[0]!.at - signalledAt).toBeLessThan(500);
    expect(lines.find((l) => l.startsWith('unblocked'))).toBe('unblocked [true,true,false,false]');
    expect(lines.filter((l) => l === 'js-term').length).toBeGreaterThanOrEqual(1);
  });

  it('the supervisor sends its child\'s armed farewells from its own handler, and the child only counts them', async () => {
    const { socket, port, got } = await receiver();
    const childFile = join(scratch, 'watched-child.mjs');
    const parentFile = join(scratch, 'watching-parent.mjs');
    // The child arms slots 0 (kept) and 1 (then disarmed) and publishes its table; it is never
    // signalled by the parent (no forwarding registered): only the parent's handler can send.
    writeFileSync(childFile, `
import { native } from ${JSON.stringify(join(ROOT, 'dist', 'sys', 'native.js'))};
// Listening first, as the VRRP child does from its first line: libuv's handler is then the one
// the addon's chains to. Its own TERM comes later: the handler must not send slot 0 again.
process.on('SIGTERM', () => {});
const addon = native();
const sockaddr = Buffer.alloc(16);
sockaddr.writeUInt16LE(2, 0);
sockaddr.writeUInt16BE(${port}, 2);
sockaddr.set([127, 0, 0, 1], 4);
const fd = addon.socket(2, 2, 0);
addon.armFarewell(0, fd, Buffer.from('child-farewell-0'), sockaddr);
addon.armFarewell(1, fd, Buffer.from('child-farewell-1'), sockaddr);
addon.disarmFarewell(1);
process.on('message', (m) => process.send({ fired: addon.farewellState(), sent0: addon.farewellState(0) }));
const { table, layout } = addon.farewellTable();
process.send({ kind: 'farewell-table', table: String(table), layout });
setInterval(() => {}, 1000);
`);
    writeFileSync(parentFile, `
import { fork } from 'node:child_process';
import { native } from ${JSON.stringify(join(ROOT, 'dist', 'sys', 'native.js'))};
process.on('SIGTERM', () => process.stdout.write('parent-js-term\\n'));
const child = fork(${JSON.stringify(childFile)}, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
const replies = [];
child.on('message', (m) => {
  if (m.kind === 'farewell-table') {
    try {
      native().watchFarewells(child.pid, BigInt(m.table), m.layout + 'x');
    } catch (error) {
      process.stdout.write('refused ' + error.code + '\\n'); // another build's layout
    }
    native().watchFarewells(child.pid, BigInt(m.table), m.layout);
    process.stdout.write('watching ' + child.pid + '\\n');
  } else {
    replies.push(m);
    process.stdout.write('child ' + JSON.stringify(m) + '\\n');
    if (replies.length === 1) {
      process.kill(child.pid, 'SIGTERM');
      setTimeout(() => child.send('report'), 200);
    } else {
      native().watchFarewells(0, 0n, '');
      child.kill('SIGKILL');
      process.exit(0);
    }
  }
});
process.on('SIGUSR2', () => child.send('report')); // the test's cue, after its TERM to us
`);
    const parent = spawn(process.execPath, [parentFile], { stdio: ['ignore', 'pipe', 'inherit'] });
    const lines: string[] = [];
    let signalled = false;
    parent.stdout.on('data', (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n').filter((l) => l !== '')) lines.push(line);
      if (!signalled && lines.some((l) => l.startsWith('watching'))) {
        signalled = true;
        parent.kill('SIGTERM');
        setTimeout(() => parent.kill('SIGUSR2'), 200);
      }
    });
    const exitCode = await new Promise<number | null>((resolve) => parent.once('exit', (code) => resolve(code)));
    await new Promise((resolve) => setTimeout(resolve, 100));
    socket.close();
    expect(exitCode).toBe(0);
    // Sent once, by the parent (the child had no TERM then), and only the armed slot.
    expect(got.map((m) => m.text)).toEqual(['child-farewell-0']);
    // The parent told the child: no ordinary advert from now on; the child's own TERM later
    // counted slot 0 as sent without sending it again.
    const reports = lines.filter((l) => l.startsWith('child ')).map((l) => JSON.parse(l.slice(6)) as { fired: boolean; sent0: boolean });
    expect(reports).toEqual([{ fired: true, sent0: false }, { fired: true, sent0: true }]);
    expect(lines).toContain('parent-js-term');
    expect(lines).toContain('refused EINVAL');
  });
});
