// Where the VRRP process writes its dumps: keepalived's /tmp/keepalived.{data,stats,json} unless
// global_defs names the file (state_dump_file, stats_dump_file, json_dump_file); tests point them
// into temporary directories. Files are written asynchronously so a slow disc never stalls adverts.
import { writeFile } from 'node:fs/promises';
import type { Settings } from '../config/model.js';

export type DumpKind = 'state' | 'stats' | 'json';

export const DEFAULT_DUMP_FILES: Readonly<Record<DumpKind, string>> = {
  state: '/tmp/keepalived.data',
  stats: '/tmp/keepalived.stats',
  json: '/tmp/keepalived.json',
};

const KEYWORDS: Readonly<Record<DumpKind, string>> = { state: 'state_dump_file', stats: 'stats_dump_file', json: 'json_dump_file' };

export function dumpFilePath(kind: DumpKind, globalSettings: Settings): string {
  const configured = globalSettings[KEYWORDS[kind]];
  return typeof configured === 'string' && configured !== '' ? configured : DEFAULT_DUMP_FILES[kind];
}

/** Writes the dump (mode 0644, like keepalived's); returns the error text instead of throwing. */
export async function writeDumpFile(path: string, text: string): Promise<string | undefined> {
  try {
    await writeFile(path, text, { mode: 0o644 });
    return undefined;
  } catch (error) {
    return `cannot write ${path}: ${(error as Error).message}`;
  }
}
