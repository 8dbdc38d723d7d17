// The VRRP runtime's public surface: start it with instance definitions (../instance-config.ts
// builds them from a Config), feed it tracker updates, listen to transitions, read its counters.
export { VrrpRuntime, type VrrpRuntimeOptions, type RuntimeStats, type InstanceStats } from './runtime.js';
export type { TransitionListener, LowerPriorityListener, PriorityListener } from './instance-driver.js';
export type { InstanceDefinition, RuntimeInstanceSpec, VirtualAddress } from './spec.js';
export type { RuntimeDropReason } from './drop-counter.js';
