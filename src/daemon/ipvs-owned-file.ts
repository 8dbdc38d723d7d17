// The checker process' record of the IPVS entries it owns, kept in a file beside its pid file
// (checkers.pid -> checkers.ipvs-owned.json) so that after a kill -9 the next run knows which
// services and destinations in the kernel were ours: it removes those its config no longer names
// and leaves every other tool's entries alone (table-keeper.ts). An unreadable or malformed file
// counts as owning nothing, as a first start does.
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { NOTHING_OWNED, type Owned } from '../lvs/reconcile.js';
import type { OwnedPersistence } from '../lvs/table-keeper.js';
import type { Destination, ServiceKey } from '../ipvs/types.js';

interface OwnedFile {
  readonly services: [string, ServiceKey][];
  readonly destinations: [string, [string, Destination][]][];
}

export function ownedFilePath(checkersPidFile: string): string {
  return `${checkersPidFile.replace(/\.pid$/, '')}.ipvs-owned.json`;
}

export function encodeOwned(owned: Owned): string {
  const file: OwnedFile = {
    services: [...owned.services],
    destinations: [...owned.destinations].map(([id, destinations]) => [id, [...destinations]]),
  };
  return JSON.stringify(file);
}

export function decodeOwned(text: string): Owned {
  try {
    const file = JSON.parse(text) as Partial<OwnedFile>;
    if (!Array.isArray(file.services) || !Array.isArray(file.destinations)) return NOTHING_OWNED;
    return {
      services: new Map(file.services.filter((e) => Array.isArray(e) && typeof e[0] === 'string' && typeof e[1] === 'object')),
      destinations: new Map(file.destinations.filter((e) => Array.isArray(e) && typeof e[0] === 'string' && Array.isArray(e[1])).map(([id, list]) => [id, new Map(list)])),
    };
  } catch {
    return NOTHING_OWNED;
  }
}

/** Persistence for TableKeeper in `path`: written atomically (temp file + rename) on every change. */
export function ownedFile(path: string, onError: (message: string) => void): OwnedPersistence {
  let initial = NOTHING_OWNED;
  try {
    initial = decodeOwned(readFileSync(path, 'utf8'));
  } catch {
    // No file: nothing was owned.
  }
  let last = encodeOwned(initial);
  return {
    initial,
    save(owned) {
      const text = encodeOwned(owned);
      if (text === last) return;
      last = text;
      try {
        if (owned.services.size === 0) {
          rmSync(path, { force: true });
          return;
        }
        writeFileSync(`${path}.tmp`, text);
        renameSync(`${path}.tmp`, path);
      } catch (error) {
        onError(`cannot record the IPVS entries we own in ${path}: ${(error as Error).message}`);
      }
    },
  };
}
