// V8 settings for a process that reads one config and exits (`-t`). Shared by the command and by
// the code-cache loader (one-shot-bundle.ts), which must set them before it compiles: V8 accepts a
// code cache only under the flags it was made with.
import { setFlagsFromString } from 'node:v8';

/**
 * Both flags are read by V8 as it goes, so setting them before the config is read takes effect.
 * Measured with bench/config-parse.mjs-style runs (61,700 lines, 7 interleaved runs, medians, CPU time):
 * - the young generation stays at its initial size (659 -> 560 ms, peak RSS 123 -> 97 MB, when
 *   the parse tree still lived to the end). Now that a block's trees die young (load.ts), a
 *   larger young generation copies less (scavenge pauses 80 -> 45 ms) but still costs more than
 *   it saves: letting it grow measured 370 -> 390 ms CPU and peak RSS 68 -> 95 MB;
 * - optimizing compilers do not inline: most code runs only long enough to be optimized once,
 *   and inlining made those compile jobs cost more than they saved (540 -> 470 ms).
 */
export function tuneV8ForOneLoad(): void {
  setFlagsFromString('--semi-space-growth-factor=1');
  setFlagsFromString('--no-turbo-inlining');
}
