// The VRRP child's IPC message naming its farewell table: the supervisor acts only on a well-formed
// one (a decimal address and a layout string); anything else on the channel is not taken for it,
// and a refused watch (another addon build, a pid that is gone) is reported as false, never thrown.
import { describe, expect, it } from 'vitest';
import { isFarewellTableMessage, watchChildFarewells } from '../../src/daemon/signal-forwarding.js';

describe('farewell-table message', () => {
  it('accepts only a decimal table address with a layout', () => {
    expect(isFarewellTableMessage({ kind: 'farewell-table', table: '140298935123104', layout: '1:4288:256:0:0' })).toBe(true);
    for (const bad of [
      null, 'farewell-table', 42, {}, { kind: 'farewell-table' },
      { kind: 'farewell-table', table: '0x7fc7cc24bca0', layout: 'x' },
      { kind: 'farewell-table', table: '-5', layout: 'x' },
      { kind: 'farewell-table', table: 140298935123104, layout: 'x' },
      { kind: 'farewell-table', table: '12', layout: 7 },
      { kind: 'relay-request', table: '12', layout: 'x' },
    ]) expect(isFarewellTableMessage(bad)).toBe(false);
  });

  it('a watch the addon refuses comes back false', () => {
    // Another build's layout: EINVAL inside, false outside; the child then sends its own farewells.
    expect(watchChildFarewells(process.pid, { kind: 'farewell-table', table: '4096', layout: 'not-this-build' })).toBe(false);
  });
});
