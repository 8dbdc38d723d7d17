// The VRRP daemons the lab can put on a director: Debian's keepalived or ours. Both take
// keepalived's flags; each gets its own pid files, because `ip netns exec` does not give a
// daemon a private /run.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export type ImplementationName = 'keepalived' | 'ours';

export const IMPLEMENTATION_NAMES: readonly ImplementationName[] = ['keepalived', 'ours'];

export interface DaemonFiles {
  readonly config: string;
  readonly configId: string;
  readonly parentPid: string;
  readonly vrrpPid: string;
  readonly checkersPid: string;
  /** Run only the VRRP part (-P): virtual_server configs on a kernel without IPVS. */
  readonly vrrpOnly: boolean;
}

export interface Implementation {
  readonly name: ImplementationName;
  /** The program and its arguments, to run inside the director's namespace. */
  command(files: DaemonFiles): { command: string; args: string[] };
  /** Why it cannot run here, or undefined when it can. */
  unavailable(): string | undefined;
}

const keepalivedFlags = (files: DaemonFiles) => [
  '-n', '-l', '-D', '-f', files.config, '-i', files.configId,
  '-p', files.parentPid, '-r', files.vrrpPid, '-c', files.checkersPid,
  ...(files.vrrpOnly ? ['-P'] : []),
];

/** bin/keepalived-ts of this installation (dist/lab → ../../bin). */
export const OUR_BINARY = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'bin', 'keepalived-ts');

export const IMPLEMENTATIONS: Record<ImplementationName, Implementation> = {
  keepalived: {
    name: 'keepalived',
    command: (files) => ({ command: 'keepalived', args: [...keepalivedFlags(files), '-G'] }),
    unavailable: () => (onPath('keepalived') ? undefined : "keepalived is not installed (apt-get install keepalived)"),
  },
  ours: {
    name: 'ours',
    command: (files) => ({ command: process.execPath, args: [OUR_BINARY, ...keepalivedFlags(files)] }),
    unavailable: () => (existsSync(join(dirname(OUR_BINARY), '..', 'dist', 'daemon', 'vrrp-process.js')) ? undefined : "this build has no VRRP daemon yet (dist/daemon/vrrp-process.js)"),
  },
};

function onPath(program: string): boolean {
  return (process.env['PATH'] ?? '/usr/sbin:/usr/bin').split(':').some((dir) => dir !== '' && existsSync(join(dir, program)));
}
