// `keepalived-ts lab --down`: removes whatever earlier lab runs left (after --keep, or a run that
// was killed outright): the processes inside lab namespaces, the namespaces, the temp dirs.
import { readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LAB_PREFIX } from './names.js';
import { killTree, pidsInNamespace } from './processes.js';
import { deleteNamespaces, labNamespaces } from './topology.js';

export interface DownSummary {
  readonly namespaces: readonly string[];
  readonly processes: number;
  readonly directories: readonly string[];
}

export function labDown(): DownSummary {
  const namespaces = labNamespaces();
  let processes = 0;
  for (const namespace of namespaces) {
    for (const pid of pidsInNamespace(namespace)) {
      killTree(pid, 'SIGKILL');
      processes++;
    }
  }
  deleteNamespaces(namespaces);
  const directories = readdirSync(tmpdir()).filter((name) => name.startsWith(LAB_PREFIX)).map((name) => join(tmpdir(), name));
  for (const directory of directories) rmSync(directory, { recursive: true, force: true });
  return { namespaces, processes, directories };
}
