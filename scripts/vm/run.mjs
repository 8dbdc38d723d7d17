// Runs one command inside a QEMU guest that has a real IPVS kernel (Debian 12's stock kernel under
// TCG; see ../shared/notes/ipvs-vm.md), with the host's / as its root, the caller's environment and
// working directory, and returns the command's stdout, stderr (byte-exact) and exit code.
//   node scripts/vm/run.mjs -- CMD ARGS...
// One boot per call (~3-6 s). KTS_VM_TIMEOUT (seconds, default 1800) bounds the whole run; a failed
// boot or a kernel panic exits 125 with the guest console's tail. Paths under /tmp named by the
// working directory or an argument (e.g. --outputFile=/tmp/x/report.json) are shared with the
// guest, whose /tmp is otherwise private (unix sockets cannot be bound on the 9p root).
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, readSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { prepareVm } from './prepare.mjs';

const BOOT_FAILED = 125;

const separator = process.argv.indexOf('--');
const command = separator >= 0 ? process.argv.slice(separator + 1) : process.argv.slice(2);
if (command.length === 0) {
  process.stderr.write('usage: node scripts/vm/run.mjs -- CMD ARGS...\n');
  process.exit(2);
}

const quote = (word) => `'${String(word).replaceAll("'", "'\\''")}'`;

/** Top-level folders of /tmp that the command refers to (cwd, path arguments), which exist. */
function sharedTmpFolders(cwd, args) {
  const found = new Set();
  for (const text of [cwd, ...args]) {
    for (const match of String(text).matchAll(/(?:^|[=:,])(\/tmp\/[^/:,=\s]+)/g)) {
      try {
        if (statSync(match[1]).isDirectory()) found.add(match[1]);
      } catch {
        // not there: nothing to share
      }
    }
  }
  return [...found];
}

function commandScript(cwd, env, argv) {
  const assignments = Object.entries(env)
    .filter(([name, value]) => value !== undefined && /^[A-Za-z_][A-Za-z0-9_]*$/.test(name))
    .map(([name, value]) => quote(`${name}=${value}`));
  return `cd ${quote(cwd)} || exit 126\nexec /usr/bin/env -i ${assignments.join(' ')} ${argv.map(quote).join(' ')}\n`;
}

/** Copies what QEMU appends to a file onto one of our streams, as it arrives. */
function follow(path, stream) {
  let position = 0;
  const chunk = Buffer.alloc(64 * 1024);
  return () => {
    if (!existsSync(path)) return;
    const fd = openSync(path, 'r');
    try {
      for (;;) {
        const read = readSync(fd, chunk, 0, chunk.length, position);
        if (read === 0) break;
        position += read;
        stream.write(Buffer.from(chunk.subarray(0, read)));
      }
    } finally {
      closeSync(fd);
    }
  };
}

function consoleTail(path, lines = 40) {
  try {
    return readFileSync(path, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '(no console output)';
  }
}

const vm = prepareVm();
const control = mkdtempSync(join(tmpdir(), 'ktsvm-run-'));
const files = {
  console: join(control, 'console.log'),
  stdout: join(control, 'stdout'),
  stderr: join(control, 'stderr'),
  status: join(control, 'status'),
};
writeFileSync(join(control, 'command.sh'), commandScript(process.cwd(), process.env, command));
writeFileSync(join(control, 'shares'), sharedTmpFolders(process.cwd(), command).join('\n'));

const kernelCommandLine = [
  'console=ttyS0', 'quiet', 'loglevel=4', 'panic=-1', 'tsc=reliable', 'no_timer_check', 'mitigations=off',
  'cryptomgr.notests', 'random.trust_cpu=on', `kts.ctl=${control}`,
].join(' ');
const qemuArgs = [
  '-M', 'pc', '-accel', 'tcg,thread=multi', '-cpu', 'max', '-smp', '2', '-m', '2048',
  '-nodefaults', '-no-user-config', '-display', 'none', '-no-reboot', '-nic', 'none',
  '-kernel', vm.kernel, '-initrd', vm.initramfs, '-append', kernelCommandLine,
  '-fsdev', 'local,id=hostroot,path=/,security_model=none,multidevs=remap',
  '-device', 'virtio-9p-pci,fsdev=hostroot,mount_tag=hostroot',
  ...['console', 'stdout', 'stderr', 'status'].flatMap((name) => [
    '-chardev', `file,id=${name},path=${files[name]}`, '-serial', `chardev:${name}`,
  ]),
];

const timeoutSeconds = Number(process.env.KTS_VM_TIMEOUT ?? 1800);
const qemu = spawn('qemu-system-x86_64', qemuArgs, { detached: true, stdio: ['ignore', 'inherit', 'inherit'] });
const killQemu = () => {
  try {
    process.kill(-qemu.pid, 'SIGKILL');
  } catch {
    // already gone
  }
};
const pumps = [follow(files.stdout, process.stdout), follow(files.stderr, process.stderr)];
const pumping = setInterval(() => pumps.forEach((pump) => pump()), 50);
let timedOut = false;
const timer = setTimeout(() => {
  timedOut = true;
  killQemu();
}, timeoutSeconds * 1000);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    killQemu();
    process.exit(130);
  });
}

qemu.on('error', (error) => {
  process.stderr.write(`[vm] cannot start qemu-system-x86_64: ${error.message}\n`);
  process.exitCode = BOOT_FAILED;
});
qemu.on('exit', (code, signal) => {
  clearInterval(pumping);
  clearTimeout(timer);
  pumps.forEach((pump) => pump());
  const status = existsSync(files.status) ? readFileSync(files.status, 'utf8') : '';
  const exited = /kts-exit (\d+)/.exec(status);
  const consoleText = existsSync(files.console) ? readFileSync(files.console, 'utf8') : '';
  if (exited && !timedOut) {
    process.exitCode = Number(exited[1]);
  } else {
    const why = timedOut
      ? `timed out after ${timeoutSeconds} s (KTS_VM_TIMEOUT)`
      : /Kernel panic/.test(consoleText)
        ? 'kernel panic'
        : /kts-boot-failed (.*)/.exec(status)?.[1] ?? `guest ended without an exit status (qemu ${signal ?? `exit ${code}`})`;
    process.stderr.write(`[vm] FAILED: ${why}\n--- guest console (tail) ---\n${consoleTail(files.console)}\n---\n`);
    process.exitCode = BOOT_FAILED;
  }
  if (!process.env.KTS_VM_KEEP) rmSync(control, { recursive: true, force: true });
  else process.stderr.write(`[vm] control files kept in ${control}\n`);
});
