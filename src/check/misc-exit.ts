// Pure meaning of a MISC_CHECK script's ending: exit 0 is up; without misc_dynamic anything
// else is down; with misc_dynamic 1 is down and 2..255 is up with weight (status - 2).

export type MiscVerdict = { ok: boolean; reason: string; weight?: number };

export function judgeMiscExit(code: number | null, signal: string | null, dynamic: boolean): MiscVerdict {
  if (code === null) return { ok: false, reason: `killed by ${signal ?? 'a signal'}` };
  if (code === 0) return { ok: true, reason: 'exit 0' };
  if (!dynamic || code === 1) return { ok: false, reason: `exit ${code}` };
  return { ok: true, reason: `exit ${code}`, weight: code - 2 };
}
