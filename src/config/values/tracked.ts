// One line of track_script / track_interface / track_file / track_process / track_bfd:
// NAME [weight N [reverse|noreverse]], weight in -254..254 as keepalived accepts it.
import type { Word } from '../tree.js';
import type { LineResult } from './line-result.js';
import { parseInteger } from './number.js';

export interface TrackedSpec {
  readonly name: string;
  /** Absent when the line gave no weight: the tracked object's own weight applies. */
  readonly weight?: number;
  readonly reverse: boolean;
}

export function parseTrackedLine(words: readonly Word[]): LineResult<TrackedSpec> {
  const [name, keyword, weightWord, direction] = words;
  if (!keyword) return { value: { name: name!.text, reverse: false }, problems: [] };
  if (keyword.text !== 'weight' || !weightWord) {
    return { problems: [{ code: 'KTS_INVALID_VALUE', at: keyword, message: `expected 'weight N' after '${name!.text}'` }] };
  }
  const weight = parseInteger(weightWord.text, -254, 254);
  if (!weight.ok) return { problems: [{ code: 'KTS_OUT_OF_RANGE', at: weightWord, message: weight.reason }] };
  if (direction && direction.text !== 'reverse' && direction.text !== 'noreverse') {
    return { problems: [{ code: 'KTS_INVALID_VALUE', at: direction, message: `expected 'reverse' or 'noreverse', got '${direction.text}'` }] };
  }
  return { value: { name: name!.text, weight: weight.value, reverse: direction?.text === 'reverse' }, problems: [] };
}
