// Builds, once and cached, what the QEMU real-IPVS tier boots (see ../shared/notes/ipvs-vm.md):
// Debian 12's stock kernel (IPVS as modules) as an *uncompressed* vmlinux, its module tree with
// modules.dep, and a busybox initramfs that mounts the host's / over virtio-9p and chroots into it.
//   node scripts/vm/prepare.mjs        prints the artifact paths as JSON
// Cache: $KTS_VM_CACHE, else /var/cache/keepalived-ts-vm when writable (survives fresh CI clones),
// else .vm-cache/ in the checkout. Whatever is missing is rebuilt; a complete build is reused offline.
import { execFileSync, spawnSync } from 'node:child_process';
import {
  accessSync, chmodSync, constants, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync,
  readdirSync, readlinkSync, renameSync, rmSync, symlinkSync, writeFileSync, lstatSync, openSync, closeSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const INIT_SOURCE = join(dirname(fileURLToPath(import.meta.url)), 'guest-init.sh');
/** Bumped whenever the initramfs layout or init script changes, so caches rebuild. */
const BUILD_FORMAT = 4;

/** Modules the initramfs loads (in this order) to reach the host's root over virtio-9p. */
const BOOT_MODULES = [
  'virtio_ring', 'virtio', 'virtio_pci_modern_dev', 'virtio_pci_legacy_dev', 'virtio_pci',
  '9pnet', '9pnet_virtio', 'netfs', 'fscache', '9p',
];

const log = (message) => process.stderr.write(`[vm prepare] ${message}\n`);

function run(command, args, options = {}) {
  return execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], ...options });
}

export function cacheDirectory() {
  if (process.env.KTS_VM_CACHE) return process.env.KTS_VM_CACHE;
  const system = '/var/cache/keepalived-ts-vm';
  try {
    mkdirSync(system, { recursive: true });
    accessSync(system, constants.W_OK);
    return system;
  } catch {
    return join(repoRoot, '.vm-cache');
  }
}

/** The kernel ABI package behind linux-image-amd64 (e.g. linux-image-6.1.0-56-amd64). */
function kernelPackageName() {
  const lookup = () => {
    const result = spawnSync('apt-cache', ['depends', 'linux-image-amd64'], { encoding: 'utf8' });
    const match = /Depends:\s*(linux-image-[0-9][^\s]*-amd64)/.exec(result.stdout ?? '');
    return match ? match[1] : null;
  };
  let name = lookup();
  if (!name) {
    log('apt-get update (linux-image-amd64 unknown to apt-cache)');
    run('apt-get', ['update', '-qq']);
    name = lookup();
  }
  if (!name) throw new Error('cannot resolve linux-image-amd64 to a kernel package with apt-cache');
  return name;
}

function downloadKernelPackage(name, into) {
  const attempt = () => spawnSync('apt-get', ['download', '-qq', name], { cwd: into, encoding: 'utf8' });
  let result = attempt();
  if (result.status !== 0) {
    log(`apt-get download failed (${result.stderr.trim()}); apt-get update and retry`);
    run('apt-get', ['update', '-qq']);
    result = attempt();
  }
  if (result.status !== 0) throw new Error(`apt-get download ${name} failed: ${result.stderr}`);
  const deb = readdirSync(into).find((file) => file.endsWith('.deb'));
  if (!deb) throw new Error(`apt-get download ${name} produced no .deb`);
  return join(into, deb);
}

/** Compression formats a bzImage payload may use: magic bytes and the decompressor. */
const PAYLOAD_FORMATS = [
  { magic: [0x1f, 0x8b, 0x08], tool: ['gzip', '-dc'] },
  { magic: [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00], tool: ['xz', '-dc'] },
  { magic: [0x28, 0xb5, 0x2f, 0xfd], tool: ['zstd', '-dc'] },
  { magic: [0x02, 0x21, 0x4c, 0x18], tool: ['lz4', '-dc'] },
  { magic: [0x5d, 0x00, 0x00], tool: ['xz', '--format=lzma', '-dc'] },
];

/**
 * The uncompressed ELF kernel inside a bzImage: try each compressed stream found by its magic
 * until one decompresses to an ELF image (decompressing inside TCG would cost ~2.5 s per boot).
 */
function extractVmlinux(vmlinuz) {
  const image = readFileSync(vmlinuz);
  const missingTools = new Set();
  for (const { magic, tool } of PAYLOAD_FORMATS) {
    let from = 0;
    for (;;) {
      const at = image.indexOf(Buffer.from(magic), from);
      if (at < 0) break;
      from = at + 1;
      const result = spawnSync(tool[0], tool.slice(1), {
        input: image.subarray(at), maxBuffer: 512 * 1024 * 1024,
      });
      if (result.error?.code === 'ENOENT') {
        missingTools.add(tool[0]);
        break;
      }
      const out = result.stdout;
      if (out && out.length > 1024 * 1024 && out.subarray(0, 4).equals(Buffer.from([0x7f, 0x45, 0x4c, 0x46]))) {
        return out;
      }
    }
  }
  const hint = missingTools.size ? ` (not installed: ${[...missingTools].join(', ')}; Debian 12 kernels need xz)` : '';
  throw new Error(`no ELF kernel found inside ${vmlinuz}${hint}`);
}

/** Paths of the .ko files for module names (dashes and underscores are interchangeable). */
function moduleFiles(moduleTree, names) {
  const byName = new Map();
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ko')) byName.set(entry.name.slice(0, -3).replaceAll('-', '_'), path);
    }
  };
  walk(join(moduleTree, 'kernel'));
  const builtin = readFileSync(join(moduleTree, 'modules.builtin'), 'utf8');
  const files = [];
  for (const name of names) {
    const path = byName.get(name.replaceAll('-', '_'));
    if (path) files.push({ name, path });
    else if (!builtin.includes(`/${name}.ko`)) throw new Error(`module ${name} not found in ${moduleTree}`);
  }
  return files;
}

function buildInitramfs(moduleTree, output, scratch) {
  const tree = join(scratch, 'initramfs');
  for (const dir of ['bin', 'sbin', 'proc', 'sys', 'dev', 'mnt/root', 'modules', 'run']) {
    mkdirSync(join(tree, dir), { recursive: true });
  }
  copyFileSync('/bin/busybox', join(tree, 'bin', 'busybox'));
  chmodSync(join(tree, 'bin', 'busybox'), 0o755);
  symlinkSync('busybox', join(tree, 'bin', 'sh'));
  const modules = moduleFiles(moduleTree, BOOT_MODULES);
  modules.forEach(({ path }, index) => {
    copyFileSync(path, join(tree, 'modules', `${String(index).padStart(2, '0')}-${path.split('/').pop()}`));
  });
  copyFileSync(INIT_SOURCE, join(tree, 'init'));
  chmodSync(join(tree, 'init'), 0o755);
  // Module autoloading runs the helper with PID 1's root (this initramfs): hop into the host root.
  writeFileSync(join(tree, 'sbin', 'modprobe-in-host-root'), '#!/bin/sh\nexec /bin/busybox chroot /mnt/root /sbin/modprobe "$@"\n');
  chmodSync(join(tree, 'sbin', 'modprobe-in-host-root'), 0o755);
  const list = run('sh', ['-c', 'find . -mindepth 1 | sort'], { cwd: tree });
  const fd = openSync(output, 'w');
  try {
    const result = spawnSync('cpio', ['--quiet', '-o', '-H', 'newc'], { cwd: tree, input: list, stdio: ['pipe', fd, 'pipe'] });
    if (result.status !== 0) throw new Error(`cpio failed: ${result.stderr}`);
  } finally {
    closeSync(fd);
  }
}

/** modprobe inside the guest's chroot (the host root) looks in /lib/modules/<version>. */
function linkHostModuleTree(version, moduleTree) {
  const hostPath = `/lib/modules/${version}`;
  try {
    const stat = lstatSync(hostPath);
    if (stat.isSymbolicLink() && readlinkSync(hostPath) !== moduleTree) {
      rmSync(hostPath);
    } else {
      return;
    }
  } catch {
    // absent: create it below
  }
  mkdirSync('/lib/modules', { recursive: true });
  symlinkSync(moduleTree, hostPath);
}

/** Earlier builds (older kernel or format) are replaced by the current one. */
function pruneOtherBuilds(cache, keep) {
  for (const entry of readdirSync(cache)) {
    const path = join(cache, entry);
    if (entry.startsWith('kernel-') && path !== keep) rmSync(path, { recursive: true, force: true });
  }
}

function complete(dir) {
  try {
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
    if (manifest.format !== BUILD_FORMAT) return null;
    for (const key of ['kernel', 'initramfs', 'moduleTree']) if (!existsSync(manifest[key])) return null;
    return manifest;
  } catch {
    return null;
  }
}

/** Returns { version, kernel, initramfs, moduleTree }, building whatever is missing. */
export function prepareVm() {
  const cache = cacheDirectory();
  mkdirSync(cache, { recursive: true });
  const currentLink = join(cache, 'current');
  let manifest = existsSync(currentLink) ? complete(currentLink) : null;
  if (!manifest) {
    const started = Date.now();
    const scratch = mkdtempSync(join(cache, 'build-'));
    try {
      const packageName = kernelPackageName();
      const version = packageName.replace(/^linux-image-/, '');
      const target = join(cache, `kernel-${version}-f${BUILD_FORMAT}`);
      manifest = complete(target);
      if (!manifest) {
        log(`building ${target} from ${packageName}`);
        const deb = downloadKernelPackage(packageName, scratch);
        const staging = join(scratch, 'out');
        const rootfs = join(staging, 'root');
        mkdirSync(rootfs, { recursive: true });
        run('dpkg-deb', ['-x', deb, rootfs]);
        run('depmod', ['-b', rootfs, version]);
        writeFileSync(join(staging, 'vmlinux'), extractVmlinux(join(rootfs, 'boot', `vmlinuz-${version}`)));
        const moduleTree = join(target, 'root', 'lib', 'modules', version);
        buildInitramfs(join(rootfs, 'lib', 'modules', version), join(staging, 'initramfs.cpio'), scratch);
        manifest = {
          format: BUILD_FORMAT, version, package: packageName,
          kernel: join(target, 'vmlinux'), initramfs: join(target, 'initramfs.cpio'), moduleTree,
        };
        writeFileSync(join(staging, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
        // Another run may have finished the same build meanwhile (and may be booting it): keep theirs.
        if (!complete(target)) {
          rmSync(target, { recursive: true, force: true });
          renameSync(staging, target);
        }
        log(`built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      }
      // Point "current" at the finished build atomically (other runs may be reading it).
      const temporaryLink = join(scratch, 'current');
      symlinkSync(target, temporaryLink);
      renameSync(temporaryLink, currentLink);
      pruneOtherBuilds(cache, target);
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  }
  linkHostModuleTree(manifest.version, manifest.moduleTree);
  return manifest;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  process.stdout.write(`${JSON.stringify(prepareVm(), null, 2)}\n`);
}
