// FILE_CHECK: read the tracked file's number (keepalived's track_file). With weight 0 any
// non-zero value is down; otherwise value x weight (negated with reverse) is the weight
// adjustment, reported when dynamic is set; an adjustment at or below -2^31 is a fault (down).
import { readFile } from 'node:fs/promises';
import { errorReason } from './bounded.js';
import type { CheckResult, FileCheckSpec, RealServerTarget } from './types.js';

const FAULT_AT_OR_BELOW = -2147483648;

export async function checkFile(spec: FileCheckSpec, _target: RealServerTarget, _signal: AbortSignal): Promise<CheckResult> {
  const startedAt = performance.now();
  const latency = (): number => performance.now() - startedAt;
  let text: string;
  try {
    text = await readFile(spec.path, 'latin1');
  } catch (error) {
    return { ok: false, reason: errorReason(error), latencyMs: latency() };
  }
  return { ...judgeTrackFileValue(text, spec), latencyMs: latency() };
}

export function judgeTrackFileValue(text: string, spec: Pick<FileCheckSpec, 'weight' | 'reverse' | 'dynamic'>): Omit<CheckResult, 'latencyMs'> {
  const match = /^\s*([+-]?\d+)/.exec(text);
  // keepalived reads an unparsable or empty file as 0.
  const value = match ? Number(match[1]) : 0;
  const weight = spec.weight ?? 1;
  if (weight === 0) return value === 0 ? { ok: true, reason: 'value 0' } : { ok: false, reason: `value ${value}` };
  const adjustment = value * weight * (spec.reverse ? -1 : 1);
  if (adjustment <= FAULT_AT_OR_BELOW) return { ok: false, reason: `value ${value} x weight ${weight} is a fault` };
  return { ok: true, reason: `value ${value}`, ...(spec.dynamic ? { weightDelta: adjustment } : {}) };
}
