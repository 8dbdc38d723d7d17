// The rise/fall counter of a vrrp_script: pure. A count in 0 .. rise+fall-1, up while count >= rise.
//   success: below rise-1 it counts up; otherwise it jumps to the top (up, `fall` failures from down);
//   failure: above rise it counts down; otherwise it drops to 0 (down, `rise` successes from up).
// Start (measured on keepalived 2.2.7: rise 3 + init_fail left FAULT after one success; fall 3
// without init_fail went FAULT on the first failure): the first result decides. Without init_fail
// the count starts at rise (up, one failure from down); with init_fail at rise-1 (down, one
// success from up). After that, rise and fall apply in full (measured too: with rise 2 / fall 2
// the results F S F F S S S F S F F went down at run 1, up at run 6, down at run 11).

export interface ScriptHealth {
  readonly rise: number;
  readonly fall: number;
  readonly count: number;
}

export function initialHealth(rise: number, fall: number, initFail: boolean): ScriptHealth {
  const r = Math.max(1, rise);
  const f = Math.max(1, fall);
  return { rise: r, fall: f, count: initFail ? r - 1 : r };
}

export function isHealthy(health: ScriptHealth): boolean {
  return health.count >= health.rise;
}

export function recordResult(health: ScriptHealth, success: boolean): ScriptHealth {
  const top = health.rise + health.fall - 1;
  let count: number;
  if (success) count = health.count < health.rise - 1 ? health.count + 1 : top;
  else count = health.count > health.rise ? health.count - 1 : 0;
  return count === health.count ? health : { ...health, count };
}
