// Shared fixtures for the VRRP reducer tests and the simulator: a keepalived-default instance
// config to override, and a helper that feeds a sequence of timed events through `step`.

import { createInstanceState, step } from '../../src/vrrp/fsm.js';
import type { InstanceConfig, InstanceState, VrrpEffect, VrrpEvent } from '../../src/vrrp/types.js';

/** keepalived's defaults for a v2 IPv4 instance: priority 100, advert_int 1, 5 GARPs now and after 5 s. */
export function instanceConfig(overrides: Partial<InstanceConfig> = {}): InstanceConfig {
  return {
    name: 'VI_1',
    vrid: 51,
    version: 2,
    family: 'ipv4',
    basePriority: 100,
    advertIntervalMs: 1000,
    preempt: true,
    preemptDelayMs: 0,
    initialState: undefined,
    primaryAddress: '10.0.0.1',
    downTimerAdverts: 3,
    lowerPrioNoAdvert: false,
    higherPrioSendAdvert: false,
    garp: { masterRepeat: 5, masterDelayMs: 5000, masterRefreshMs: 0, masterRefreshRepeat: 1, lowerPrioRepeat: 0, lowerPrioDelayMs: 0 },
    ...overrides,
  };
}

export interface Trace {
  readonly state: InstanceState;
  /** Effects of the last event only. */
  readonly effects: readonly VrrpEffect[];
  /** Every effect of every event, with the time it happened. */
  readonly all: readonly { readonly at: number; readonly effect: VrrpEffect }[];
}

/** Feeds `[time, event]` pairs in order, starting from `state`. */
export function feed(state: InstanceState, events: readonly (readonly [number, VrrpEvent])[]): Trace {
  let current = state;
  let effects: readonly VrrpEffect[] = [];
  const all: { at: number; effect: VrrpEffect }[] = [];
  for (const [at, event] of events) {
    ({ state: current, effects } = step(current, event, at));
    for (const effect of effects) all.push({ at, effect });
  }
  return { state: current, effects, all };
}

/** A started instance at time 0 (BACKUP unless it owns the address or has a fault). */
export function started(overrides: Partial<InstanceConfig> = {}): InstanceState {
  return feed(createInstanceState(instanceConfig(overrides)), [[0, { type: 'startup' }]]).state;
}

/** A started instance that became MASTER when its master-down timer expired. */
export function masterAt(at: number, overrides: Partial<InstanceConfig> = {}): InstanceState {
  const state = feed(started(overrides), [[at, { type: 'timerExpired', timer: 'masterDown' }]]).state;
  if (state.state !== 'MASTER') throw new Error(`expected MASTER at ${at}, got ${state.state}`);
  return state;
}

export function advert(priority: number, sourceAddress = '10.0.0.2', advertIntervalMs = 1000): VrrpEvent {
  return { type: 'advertReceived', advert: { priority, sourceAddress, advertIntervalMs } };
}
