import { describe, expect, it } from 'vitest';
import { step } from '../../src/vrrp/fsm.js';
import { syncGroupActions, syncGroupFaultSource, type SyncGroupMember } from '../../src/vrrp/sync-group.js';
import type { InstanceState, VrrpEvent } from '../../src/vrrp/types.js';
import { masterAt, started } from '../support/vrrp-sim-fixtures.js';

const member = (name: string, state: InstanceState): SyncGroupMember => ({ name, state });
const apply = (state: InstanceState, event: VrrpEvent, now: number) => step(state, event, now).state;

describe('sync groups', () => {
  it('members that agree need nothing', () => {
    expect(syncGroupActions('G', [member('a', started()), member('b', started({ vrid: 52 }))])).toEqual([]);
    expect(syncGroupActions('G', [member('a', masterAt(4000)), member('b', masterAt(4000, { vrid: 52 }))])).toEqual([]);
  });

  it('one member going MASTER takes the others to MASTER', () => {
    const a = masterAt(4000);
    const b = started({ vrid: 52 });
    const actions = syncGroupActions('G', [member('a', a), member('b', b)]);
    expect(actions).toEqual([{ member: 'b', event: { type: 'syncGroupTransition', group: 'G', to: 'MASTER', cause: 'a went MASTER' } }]);
    const moved = apply(b, actions[0]!.event, 4000);
    expect(moved.state).toBe('MASTER');
    expect(moved.lastTransition).toMatchObject({ reason: 'syncGroup', detail: 'sync group G: a went MASTER' });
  });

  it('one member going BACKUP takes the others to BACKUP', () => {
    const a = apply(masterAt(4000), { type: 'advertReceived', advert: { priority: 200, sourceAddress: '10.0.0.2', advertIntervalMs: 1000 } }, 4500);
    const b = masterAt(4000, { vrid: 52 });
    const actions = syncGroupActions('G', [member('a', a), member('b', b)]);
    expect(actions).toEqual([{ member: 'b', event: { type: 'syncGroupTransition', group: 'G', to: 'BACKUP', cause: 'a went BACKUP' } }]);
    const moved = apply(b, actions[0]!.event, 4500);
    expect(moved.state).toBe('BACKUP');
    expect(moved.timers.masterDown).toBe(4500 + 3609.375);
  });

  it('when two members change at the same instant in opposite directions, BACKUP leads', () => {
    const a = apply(started(), { type: 'timerExpired', timer: 'masterDown' }, 4000);
    const b = apply(masterAt(3700, { vrid: 52 }), { type: 'advertReceived', advert: { priority: 200, sourceAddress: '10.0.0.2', advertIntervalMs: 1000 } }, 4000);
    expect(syncGroupActions('G', [member('a', a), member('b', b)])).toEqual([
      { member: 'a', event: { type: 'syncGroupTransition', group: 'G', to: 'BACKUP', cause: 'b went BACKUP' } },
    ]);
  });

  it('one member\'s own fault drags the others to FAULT, and they come back together to BACKUP', () => {
    const source = syncGroupFaultSource('G');
    let a = apply(masterAt(4000), { type: 'faultChanged', source: 'chk_db failing', faulted: true }, 4100);
    let b = masterAt(4000, { vrid: 52 });
    const drag = syncGroupActions('G', [member('a', a), member('b', b)]);
    expect(drag).toEqual([{ member: 'b', event: { type: 'faultChanged', source, faulted: true } }]);
    const dragged = step(b, drag[0]!.event, 4100);
    b = dragged.state;
    expect(b.state).toBe('FAULT');
    expect(dragged.effects[0]).toEqual({ type: 'sendAdvert', priority: 0 });
    expect(syncGroupActions('G', [member('a', a), member('b', b)])).toEqual([]);

    a = apply(a, { type: 'faultChanged', source: 'chk_db failing', faulted: false }, 5000);
    const release = syncGroupActions('G', [member('a', a), member('b', b)]);
    expect(release).toEqual([{ member: 'b', event: { type: 'faultChanged', source, faulted: false } }]);
    b = apply(b, release[0]!.event, 5000);
    expect([a.state, b.state]).toEqual(['BACKUP', 'BACKUP']);
    expect(syncGroupActions('G', [member('a', a), member('b', b)])).toEqual([]);
  });

  it('stopped and not yet started members are left alone', () => {
    const stopped = apply(started(), { type: 'shutdown' }, 10);
    expect(syncGroupActions('G', [member('a', masterAt(4000)), member('b', stopped)])).toEqual([]);
  });
});
